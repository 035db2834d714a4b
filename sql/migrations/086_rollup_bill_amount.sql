-- A monthly bill's amount (CNY, rounded to the fen) under the demo utility's
-- tariff rules: the SQL twin of etl/domain/tariffs.ts billAmount(), which the
-- generator prices every bill with (test/etl/transform/high-bill-pricing.db.test.ts
-- checks the two agree). Residential tiers on the calendar year's cumulative kWh
-- (kwh_before = kWh already billed this year); TOU by period for large
-- industrial and commercial (any other class on TOU pays its flat price);
-- capacity charge for large industrial, prorated by month_fraction.
-- Immutable SQL: the planner inlines it.
create function rollup.bill_amount(customer_class text, tariff text, kwh double precision,
                                   kwh_peak double precision, kwh_shoulder double precision, kwh_valley double precision,
                                   kwh_before double precision, capacity_kva double precision, month_fraction double precision)
returns numeric
language sql immutable parallel safe
return round((
  case
    when tariff = 'tiered' then
        greatest(0, least(kwh_before + kwh, 2760) - greatest(kwh_before, 0)) * 0.538
      + greatest(0, least(kwh_before + kwh, 4800) - greatest(kwh_before, 2760)) * 0.588
      + greatest(0, kwh_before + kwh - greatest(kwh_before, 4800)) * 0.838
    when tariff = 'tou' and customer_class = 'large_industrial' then
      kwh_peak * 0.9623 + kwh_shoulder * 0.6135 + kwh_valley * 0.2938
    when tariff = 'tou' and customer_class = 'commercial' then
      kwh_peak * 1.0145 + kwh_shoulder * 0.6418 + kwh_valley * 0.3021
    else kwh * case customer_class when 'large_industrial' then 0.6135 when 'commercial' then 0.6418
                                   when 'residential' then 0.538 else 0.4993 end
  end
  + case when customer_class = 'large_industrial' and coalesce(capacity_kva, 0) <> 0
         then capacity_kva * 25 * month_fraction else 0 end
)::numeric, 2);
