-- rollup.usage_month_daytype for the customer-months in work_customer_month:
-- hour-of-day kWh of the sub-daily days, summed per day type. Day type from
-- core.calendar_day (weekend and holiday → weekend_holiday); a day missing from
-- the calendar falls back to Saturday/Sunday.
delete from rollup.usage_month_daytype u
using work_customer_month w
where u.customer_id = w.customer_id and u.month = w.month;

insert into rollup.usage_month_daytype (customer_id, month, day_type, days, kwh, kwh_by_hour)
select w.customer_id, w.month,
       case when coalesce(c.day_type, case when extract(isodow from d.day) in (6, 7) then 'weekend' else 'workday' end) = 'workday'
            then 'workday' else 'weekend_holiday' end as day_type,
       count(*)::integer, sum(d.kwh),
       array[
      sum(d.kwh_by_hour[1]),
      sum(d.kwh_by_hour[2]),
      sum(d.kwh_by_hour[3]),
      sum(d.kwh_by_hour[4]),
      sum(d.kwh_by_hour[5]),
      sum(d.kwh_by_hour[6]),
      sum(d.kwh_by_hour[7]),
      sum(d.kwh_by_hour[8]),
      sum(d.kwh_by_hour[9]),
      sum(d.kwh_by_hour[10]),
      sum(d.kwh_by_hour[11]),
      sum(d.kwh_by_hour[12]),
      sum(d.kwh_by_hour[13]),
      sum(d.kwh_by_hour[14]),
      sum(d.kwh_by_hour[15]),
      sum(d.kwh_by_hour[16]),
      sum(d.kwh_by_hour[17]),
      sum(d.kwh_by_hour[18]),
      sum(d.kwh_by_hour[19]),
      sum(d.kwh_by_hour[20]),
      sum(d.kwh_by_hour[21]),
      sum(d.kwh_by_hour[22]),
      sum(d.kwh_by_hour[23]),
      sum(d.kwh_by_hour[24])
       ]::double precision[]
from work_customer_month w
join rollup.usage_day d
  on d.customer_id = w.customer_id
 -- the equality lets a full rebuild hash-join; the range lets a few keys use the primary key
 and date_trunc('month', d.day::timestamp)::date = w.month
 and d.day >= w.month and d.day < (w.month + interval '1 month')::date
left join core.calendar_day c on c.day = d.day
where d.kwh_by_hour is not null
group by w.customer_id, w.month, 3;
