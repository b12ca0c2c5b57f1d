-- Members of the register by structure type in every territory of one level, and in France, for a
-- year, with each type's share of the territory's members: the type mix beside the national mix.
-- Parameters: $level ('federation', 'region_2014', 'departement'), $year.
-- Columns: territory_id, structure_type, short_label, type_label, members, share (in %).
with compared as (
    select territory_id
    from territories
    where level = $level or territory_id = 'FR'
),

counts as (
    select td.territory_id, m.structure_type, count(*) as members
    from territory_departements as td
    join members as m on m.dep_id = td.dep_id and m.year = $year
    where td.territory_id in (select territory_id from compared)
    group by all
),

national_types as (
    select distinct structure_type from counts where territory_id = 'FR'
),

final as (
    select c.territory_id, st.code as structure_type, st.short_label, st.label as type_label,
           coalesce(n.members, 0) as members,
           coalesce(n.members, 0) * 100.0 / nullif(sum(coalesce(n.members, 0)) over (partition by c.territory_id), 0)
               as share
    from compared as c
    cross join national_types as nt
    join structure_types as st on st.code = nt.structure_type
    left join counts as n on n.territory_id = c.territory_id and n.structure_type = nt.structure_type
)

select * from final
order by territory_id, structure_type
