-- One row per customer targeted by a marketing offer (contract: campaigns, key
-- contact_id). Holdout rows are the control group: targeted, not contacted.
create table core.campaign_contact (
  contact_id    text primary key,
  campaign_id   text not null,
  campaign_name text,
  offer_type    text not null
                check (offer_type in ('discount', 'points', 'green_plan', 'long_term_contract', 'energy_audit', 'smart_home', 'other')),
  customer_id   text not null,
  sent_on       date not null,
  channel       text not null check (channel in ('hotline', 'app', 'web', 'wechat', 'sms', 'email', 'counter')),
  holdout       boolean not null default false,
  responded_on  date,
  accepted      boolean,
  run_id        bigint,
  updated_at    timestamptz not null default now()
);

create index campaign_contact_campaign on core.campaign_contact (campaign_id);
create index campaign_contact_customer on core.campaign_contact (customer_id);
