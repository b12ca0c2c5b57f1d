-- Territory x structure type matrix: members of the register in each sub-territory of
-- the selected one ($sublevel: 'federation', 'region_2014' or 'departement'), for a year.
-- Départements outside any federation are grouped as "Sans COORACE régional".
-- Parameters: $territory, $sublevel, $year.
-- Columns: subterritory, structure_type, members.
with scope as (
    select dep_id from territory_departements where territory_id = $territory
),

attached as (
    select m.member_id, m.structure_type, m.dep_id,
           coalesce(sub.name, 'Sans COORACE régional') as subterritory
    from members as m
    left join (
        select td.dep_id, t.name
        from territory_departements as td
        join territories as t using (territory_id)
        where t.level = $sublevel
    ) as sub using (dep_id)
    where m.year = $year and m.dep_id in (select dep_id from scope)
)

select subterritory, structure_type, count(*) as members
from attached
group by all
order by subterritory, structure_type
