-- The high-bill warning's base (高额电费预警, sql/alerts/high_bill_base.sql): per
-- account, for the month being judged (the detectors' as-of month), what the
-- bills of the months before it say: whether it is billed monthly, its usual
-- bill and the kWh it has been billed this calendar year (the tiers' position).
-- None of it changes while the month goes on, so it is computed once when a
-- month starts being judged, and again only for accounts whose earlier bills
-- a night changes; a night then reads one row per account instead of a year
-- of bills. Rows of other months are dropped.
create table rollup.high_bill_base (
  customer_id  text not null,
  month        date not null check (extract(day from month) = 1),
  usual_bills  integer not null,            -- ops.alert_settings.high_bill_usual_bills it was computed with
  monthly      integer not null,            -- of the usual_bills months before, those with exactly one bill
  usual_amount numeric(14, 2),              -- the median bill of those months by amount (even count: the lower middle)
  usual_kwh    double precision,            -- that bill's kWh
  kwh_before   double precision not null,   -- kWh billed (period_end) this calendar year before the month
  primary key (customer_id, month)
);
