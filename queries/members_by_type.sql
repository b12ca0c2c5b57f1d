-- Members of the register by structure type within a territory, for a year.
-- Parameters: $territory, $year.
-- Columns: structure_type, type_label, short_label, members, demo_members, imputed_members.
with scoped as (
    select m.*
    from members as m
    where m.year = $year
      and m.dep_id in (select dep_id from territory_departements where territory_id = $territory)
),

final as (
    select st.code as structure_type, st.label as type_label, st.short_label,
           count(s.member_id) as members,
           count(s.member_id) filter (where s.is_demo) as demo_members,
           count(s.member_id) filter (where s.imputed_fields is not null) as imputed_members
    from structure_types as st
    left join scoped as s on s.structure_type = st.code
    group by all
)

select * from final
where members > 0
order by members desc, structure_type
