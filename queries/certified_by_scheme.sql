-- Certified members of the register by quality scheme (latest label up to $year) within
-- a territory. Parameters: $territory, $year.
-- Columns: scheme, members, demo_members.
with latest_label as (
    select member_id, scheme, is_demo
    from member_certifications
    where year <= $year
    qualify row_number() over (partition by member_id order by year desc, event) = 1
)

select l.scheme, count(*) as members, count(*) filter (where m.is_demo) as demo_members
from latest_label as l
join members as m on m.member_id = l.member_id and m.year = $year
where m.dep_id in (select dep_id from territory_departements where territory_id = $territory)
group by all
order by l.scheme
