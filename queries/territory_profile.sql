-- What is known for one territory: its level, parents, and register counts for a year.
-- Parameters: $territory, $year.
-- Columns: territory_id, name, level, departements, members, demo_members, certified.
with scope as (
    select dep_id from territory_departements where territory_id = $territory
),

latest_label as (
    select member_id
    from member_certifications
    where year <= $year
    qualify row_number() over (partition by member_id order by year desc, event) = 1
)

select t.territory_id, t.name, t.level,
       (select count(*) from scope) as departements,
       count(m.member_id) as members,
       count(m.member_id) filter (where m.is_demo) as demo_members,
       count(l.member_id) as certified
from territories as t
left join members as m on m.year = $year and m.dep_id in (select dep_id from scope)
left join latest_label as l on l.member_id = m.member_id
where t.territory_id = $territory
group by all
