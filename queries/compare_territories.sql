-- Register counts and population of every territory of one level, and of France, for a year: the
-- comparison of a territory with its peers (observatoire/compare.py ranks them).
-- Parameters: $level ('federation', 'region_2014', 'departement'), $year.
-- Columns: territory_id, name, level, members, certified, demo_members, population,
-- communes, communes_without_population, vintage, population_source, population_source_short.
with latest_label as (
    select member_id
    from member_certifications
    where year <= $year
    qualify row_number() over (partition by member_id order by year desc, event) = 1
),

compared as (
    select territory_id, name, level, sort_key
    from territories
    where level = $level or territory_id = 'FR'
),

counts as (
    select td.territory_id,
           count(m.member_id) as members,
           count(l.member_id) as certified,
           count(m.member_id) filter (where m.is_demo) as demo_members
    from territory_departements as td
    join members as m on m.dep_id = td.dep_id and m.year = $year
    left join latest_label as l on l.member_id = m.member_id
    where td.territory_id in (select territory_id from compared)
    group by all
),

final as (
    select c.territory_id, c.name, c.level,
           coalesce(n.members, 0) as members,
           coalesce(n.certified, 0) as certified,
           coalesce(n.demo_members, 0) as demo_members,
           p.population, p.communes, p.communes_without_population, p.vintage,
           p.source as population_source, p.source_short as population_source_short,
           c.sort_key
    from compared as c
    left join counts as n using (territory_id)
    left join population as p using (territory_id)
)

select * exclude (sort_key) from final
order by sort_key
