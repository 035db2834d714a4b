-- Free-text survey comments: may hold personal data (contract), so they live
-- apart from core.survey_response, which marts read. One row per response that
-- has a non-empty comment.
create table core.survey_comment (
  response_id text primary key references core.survey_response (response_id) on delete cascade,
  comment     text not null
);
