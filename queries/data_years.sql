-- Reference years the user can pick: years with a member register or a published
-- member total (objectives such as "d'ici 2018" are not reference years).
-- Parameters: none. Columns: year.
select distinct year
from (
    select year from members
    union all
    select year from figures_published where indicator = 'members_total'
)
order by year
