-- rollup.usage_month for the customer-months in work_customer_month, from rollup.usage_day.
delete from rollup.usage_month u
using work_customer_month w
where u.customer_id = w.customer_id and u.month = w.month;

insert into rollup.usage_month (customer_id, month, kwh, kwh_peak, kwh_shoulder, kwh_valley, interval_kwh, days,
                                interval_days, readings, estimated_readings, max_kw, peak_valley_rate, first_day, last_day)
select w.customer_id, w.month,
       sum(d.kwh), sum(d.kwh_peak), sum(d.kwh_shoulder), sum(d.kwh_valley),
       sum(d.kwh) filter (where d.kwh_by_hour is not null),
       count(*)::integer,
       (count(*) filter (where d.kwh_by_hour is not null))::integer,
       sum(d.readings)::integer, sum(d.estimated_readings)::integer,
       max(d.max_kw), avg(d.peak_valley_rate), min(d.day), max(d.day)
from work_customer_month w
join rollup.usage_day d
  on d.customer_id = w.customer_id
 -- the equality lets a full rebuild hash-join; the range lets a few keys use the primary key
 and date_trunc('month', d.day::timestamp)::date = w.month
 and d.day >= w.month and d.day < (w.month + interval '1 month')::date
group by w.customer_id, w.month;
