-- History of the customer attributes that analyses segment by, as validity
-- intervals [valid_from, valid_to): "which tariff was this customer on that day".
-- valid_to is null for the current version. Dates, not timestamps: attribute
-- changes arrive with nightly files and are analysed by day.
create table core.customer_history (
  customer_id    text not null references core.customer (customer_id),
  valid_from     date not null,
  valid_to       date,
  customer_class text not null
                 check (customer_class in ('large_industrial', 'commercial', 'residential', 'agricultural')),
  tariff         text not null check (tariff in ('flat', 'tiered', 'tou')),
  region         text not null check (region <> ''),
  contract_type  text not null check (contract_type in ('standard', 'long_term')),
  contract_end   date,
  green_plan     boolean not null,
  run_id         bigint,
  primary key (customer_id, valid_from),
  check (valid_to is null or valid_to > valid_from)
);

-- At most one open (current) version per customer.
create unique index customer_history_current on core.customer_history (customer_id) where valid_to is null;
