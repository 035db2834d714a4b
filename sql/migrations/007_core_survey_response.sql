-- Survey responses (contract: surveys, key response_id). Scores mirror the
-- contract's ranges: nps 0–10, the satisfaction dimensions 1–5.
-- The free-text comment "may hold personal data", so it is kept apart in
-- core.survey_comment (next migration), like core.customer_pii.
create table core.survey_response (
  response_id   text primary key,
  customer_id   text,                 -- null for anonymous responses
  responded_on  date not null,
  wave          text,
  channel       text check (channel in ('phone', 'sms', 'app', 'web', 'wechat', 'face_to_face')),
  nps           smallint check (nps between 0 and 10),
  overall       smallint not null check (overall between 1 and 5),
  reliability   smallint check (reliability between 1 and 5),
  service       smallint check (service between 1 and 5),
  price         smallint check (price between 1 and 5),
  billing       smallint check (billing between 1 and 5),
  communication smallint check (communication between 1 and 5),
  run_id        bigint,
  updated_at    timestamptz not null default now()
);

create index survey_response_customer on core.survey_response (customer_id) where customer_id is not null;
