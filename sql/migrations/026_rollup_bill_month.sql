-- Per customer × month billing, from core.bill (sql/rollups/bill_month.sql).
-- Each figure lands in the month of its own date: billed figures in the month
-- of period_end (the billing month; a credit note 退补 carries the period it
-- corrects, so it lands there), payments in the month of paid_on, due bills in
-- the month of due_on. Arrears and receivables at a month end depend on later
-- payments, so they are computed by the marts from core.bill, not stored here.
create table rollup.bill_month (
  customer_id          text not null,
  month                date not null check (extract(day from month) = 1),
  bills                integer not null default 0,   -- amount ≥ 0, by period_end
  credit_notes         integer not null default 0,   -- amount < 0, by period_end
  billed_kwh           double precision not null default 0,
  billed_amount        numeric(14, 2) not null default 0,  -- bills + credit notes
  paid_amount          numeric(14, 2) not null default 0,  -- by paid_on
  bills_due            integer not null default 0,   -- amount > 0, by due_on
  bills_due_paid_late  integer not null default 0,   -- of those, paid after due_on
  primary key (customer_id, month)
);

create index bill_month_month on rollup.bill_month (month);
