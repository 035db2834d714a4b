-- Service-desk work orders from all channels (contract: tickets, key ticket_id).
create table core.ticket (
  ticket_id         text primary key,
  customer_id       text,
  opened_at         timestamptz not null,
  channel           text not null check (channel in ('hotline', 'app', 'web', 'wechat', 'sms', 'email', 'counter')),
  type              text not null
                    check (type in ('inquiry', 'complaint', 'outage', 'service_request', 'suggestion', 'praise')),
  category          text,
  first_response_at timestamptz,
  resolved_at       timestamptz,
  satisfaction      smallint check (satisfaction between 1 and 5),
  run_id            bigint,
  updated_at        timestamptz not null default now(),
  check (first_response_at >= opened_at),
  check (resolved_at >= opened_at)
);

create index ticket_customer on core.ticket (customer_id) where customer_id is not null;
create index ticket_opened_at on core.ticket (opened_at);
