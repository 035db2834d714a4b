-- The utility's calendar: one row per local day with its day type, so usage can
-- be split into workdays and weekends/holidays (负荷曲线 工作日 / 节假日).
--
-- Filled here for 2000–2060 by generate_series: Saturdays and Sundays are
-- 'weekend'; the statutory holidays the demo generator models
-- (etl/generate/calendar.ts) are 'holiday': New Year's Day (1 Jan), Labour Day
-- (1–5 May), National Day (1–7 Oct) and the Spring Festival (eve + 6 days, lunar
-- dates 2015–2035). The shorter lunar holidays (Qingming, Dragon Boat,
-- Mid-Autumn) and the make-up working days (调休) are left out, as in the
-- generator. A utility that needs them updates rows here (a later migration or
-- by hand) and then runs a full rollup rebuild, since usage rollups store the
-- day type they saw.
--
-- Days outside the table fall back to Saturday/Sunday = weekend in the rollup SQL.
create table core.calendar_day (
  day      date primary key,
  day_type text not null check (day_type in ('workday', 'weekend', 'holiday')),
  -- which holiday, for 'holiday' days: new_year, spring_festival, labour_day, national_day
  holiday  text check ((day_type = 'holiday') = (holiday is not null))
);

insert into core.calendar_day (day, day_type, holiday)
select d::date,
       case when h.holiday is not null then 'holiday'
            when extract(isodow from d) in (6, 7) then 'weekend'
            else 'workday' end,
       h.holiday
from generate_series(date '2000-01-01', date '2060-12-31', interval '1 day') d
left join lateral (
  select case
    when exists (select 1
                 from (values (date '2015-02-19'), (date '2016-02-08'), (date '2017-01-28'), (date '2018-02-16'),
                              (date '2019-02-05'), (date '2020-01-25'), (date '2021-02-12'), (date '2022-02-01'),
                              (date '2023-01-22'), (date '2024-02-10'), (date '2025-01-29'), (date '2026-02-17'),
                              (date '2027-02-06'), (date '2028-01-26'), (date '2029-02-13'), (date '2030-02-03'),
                              (date '2031-01-23'), (date '2032-02-11'), (date '2033-01-31'), (date '2034-02-19'),
                              (date '2035-02-08')) sf(first_day)
                 where d::date between sf.first_day - 1 and sf.first_day + 6) then 'spring_festival'
    when extract(month from d) = 1 and extract(day from d) = 1 then 'new_year'
    when extract(month from d) = 5 and extract(day from d) <= 5 then 'labour_day'
    when extract(month from d) = 10 and extract(day from d) <= 7 then 'national_day'
  end as holiday
) h on true;
