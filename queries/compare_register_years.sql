-- The register of one territory in each year up to $year: members, certified members and the
-- register's source, for the years-side-by-side block (observatoire/compare.py register_years).
-- Parameters: $territory, $year.
-- Columns: year, members, certified, demo_members, source.
with scope as (
    select dep_id from territory_departements where territory_id = $territory
),

years as (
    select distinct year from members where year <= $year
),

scoped as (
    select y.year, m.member_id, m.is_demo,
           exists (select 1 from member_certifications as c where c.member_id = m.member_id and c.year <= y.year)
               as certified,
           case when m.is_demo then 'registre des adhérents (démonstration)'
                else coalesce(d.short_title, 'registre des adhérents') end as label
    from years as y
    join members as m on m.year = y.year and m.dep_id in (select dep_id from scope)
    left join source_documents as d on d.source_file = m.source_file
),

final as (
    select y.year,
           count(s.member_id) as members,
           count(s.member_id) filter (where s.certified) as certified,
           count(s.member_id) filter (where s.is_demo) as demo_members,
           coalesce(string_agg(distinct s.label, ' ; ' order by s.label), 'registre des adhérents') as source
    from years as y
    left join scoped as s using (year)
    group by y.year
)

select * from final
order by year
