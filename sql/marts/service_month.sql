-- mart.service_month — service-desk tickets per month (local, of opening) ×
-- channel × type × region × segment: the finest level of
-- mart.service_month_totals (measures and their definitions there).
create view mart.service_month as
select *
from mart.service_month_totals
where channel is not null and type is not null and region is not null and segment is not null;
