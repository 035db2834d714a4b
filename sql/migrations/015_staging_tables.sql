-- Staging: one table per entity, the COPY target of the ingest. Each holds the
-- valid rows of ONE file at a time: the ingest truncates it, copies the file's
-- rows in and merges them into core, all in the file's transaction, so the
-- table is empty between files. Unlogged: its content never outlives a
-- transaction that a crash would roll back anyway.
--
-- Columns: file_seq (position of the file in its run) and line (physical line
-- of the row in the file; the last line of a key wins), then the contract's
-- columns in canonical form: enums as their English code, booleans, dates;
-- timestamps as epoch milliseconds UTC (bigint; the merge converts them); money
-- as unconstrained numeric (the merge rounds into numeric(14,2)).
-- No constraints or indexes: the row validator has checked every row.

create unlogged table staging.customers (
  file_seq          integer not null,
  line              integer not null,
  customer_id       text,
  name              text,
  phone             text,
  address           text,
  customer_class    text,
  region            text,
  tariff            text,
  voltage_kv        double precision,
  capacity_kva      double precision,
  contract_type     text,
  contract_end      date,
  green_plan        boolean,
  preferred_channel text,
  opened_on         date,
  closed_on         date
);

create unlogged table staging.usage (
  file_seq         integer not null,
  line             integer not null,
  customer_id      text,
  reading_start    bigint,
  interval_minutes smallint,
  kwh              double precision,
  quality          text
);

create unlogged table staging.billing (
  file_seq     integer not null,
  line         integer not null,
  bill_id      text,
  customer_id  text,
  period_start date,
  period_end   date,
  kwh          double precision,
  amount       numeric,
  issued_on    date,
  due_on       date,
  paid_on      date,
  paid_amount  numeric
);

create unlogged table staging.surveys (
  file_seq      integer not null,
  line          integer not null,
  response_id   text,
  customer_id   text,
  responded_on  date,
  wave          text,
  channel       text,
  nps           smallint,
  overall       smallint,
  reliability   smallint,
  service       smallint,
  price         smallint,
  billing       smallint,
  communication smallint,
  comment       text
);

create unlogged table staging.tickets (
  file_seq          integer not null,
  line              integer not null,
  ticket_id         text,
  customer_id       text,
  opened_at         bigint,
  channel           text,
  type              text,
  category          text,
  first_response_at bigint,
  resolved_at       bigint,
  satisfaction      smallint
);

create unlogged table staging.campaigns (
  file_seq      integer not null,
  line          integer not null,
  contact_id    text,
  campaign_id   text,
  campaign_name text,
  offer_type    text,
  customer_id   text,
  sent_on       date,
  channel       text,
  holdout       boolean,
  responded_on  date,
  accepted      boolean
);
