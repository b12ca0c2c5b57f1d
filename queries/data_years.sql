-- Years for which published figures or a member register exist, most recent last.
-- Parameters: none. Columns: year.
select distinct year
from (
    select year from figures_published
    union all
    select year from members
)
where year >= 2014
order by year
