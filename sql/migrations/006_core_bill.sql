-- Bills (contract: billing, key bill_id). A later file with the same bill_id
-- replaces the row (payment updates and corrections arrive this way).
-- Money is numeric(14,2) (design.md); amount is negative for a credit note.
-- customer_id has no foreign key: the contract requires a known customer only
-- for usage; marts join to core.customer.
create table core.bill (
  bill_id      text primary key,
  customer_id  text not null,
  period_start date not null,
  period_end   date not null,
  kwh          double precision not null check (kwh >= 0 and kwh < 'Infinity'),
  amount       numeric(14, 2) not null,
  issued_on    date not null,
  due_on       date not null,
  paid_on      date,
  paid_amount  numeric(14, 2),
  run_id       bigint,
  updated_at   timestamptz not null default now(),
  check (period_end >= period_start)
);

create index bill_customer on core.bill (customer_id, period_start);
