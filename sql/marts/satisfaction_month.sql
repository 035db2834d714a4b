-- mart.satisfaction_month — survey responses per month × segment × region ×
-- survey channel: the finest level of mart.satisfaction_month_totals
-- (measures and their definitions there).
create view mart.satisfaction_month as
select *
from mart.satisfaction_month_totals
where segment is not null and region is not null and channel is not null;
