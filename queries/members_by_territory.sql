-- Members and certified members of the register for every territory of one level
-- ('federation', 'region_2014', 'departement'), for a year; territories without any
-- member are listed with 0. Parameters: $level, $year.
-- Columns: territory_id, name, members, certified, demo_members.
with latest_label as (
    select member_id, scheme
    from member_certifications
    where year <= $year
    qualify row_number() over (partition by member_id order by year desc, event) = 1
),

scoped as (
    select td.territory_id, m.member_id, m.is_demo, l.scheme
    from territory_departements as td
    join members as m on m.dep_id = td.dep_id and m.year = $year
    left join latest_label as l using (member_id)
),

final as (
    select t.territory_id, t.name, count(s.member_id) as members,
           count(s.scheme) as certified,
           count(s.member_id) filter (where s.is_demo) as demo_members
    from territories as t
    left join scoped as s using (territory_id)
    where t.level = $level
    group by all
)

select * from final
order by name
