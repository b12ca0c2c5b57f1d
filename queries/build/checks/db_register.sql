-- The member register (named + demonstration rows) must reproduce every published
-- number it can be compared with: demonstration rows never change a published figure.
-- Only years whose register holds demonstration rows are compared: an imported real
-- register is the truth, even where it differs from an earlier publication.
-- Output: source, line, rule, detail.

with demo_years as (
    select distinct year from members where is_demo
),

register as (
    select m.*, c.scheme
    from members as m
    left join (
        select member_id, scheme
        from member_certifications
        qualify row_number() over (partition by member_id order by year desc, event) = 1
    ) as c using (member_id)
),

published as (
    select indicator, category, territory, year, value, source_line
    from figures_published
    where year in (select year from demo_years)
),

by_type as (
    select p.source_line, p.category, p.value, count(r.member_id) as n
    from published as p
    left join register as r on r.structure_type = p.category and r.year = p.year
    where p.indicator = 'members_by_type' and p.territory = 'FR'
    group by all
),

totals as (
    select p.source_line, p.territory, p.value, count(r.member_id) as n
    from published as p
    left join territory_departements as td on td.territory_id = p.territory
    left join register as r on r.dep_id = td.dep_id and r.year = p.year
    where p.indicator = 'members_total'
    group by all
),

certified as (
    select p.source_line, p.territory, p.value, count(r.scheme) as n
    from published as p
    left join territory_departements as td on td.territory_id = p.territory
    left join register as r on r.dep_id = td.dep_id and r.year = p.year
    where p.indicator in ('certified_total', 'certified_members')
    group by all
),

by_scheme as (
    select p.source_line, p.category, p.value, count(r.member_id) as n
    from published as p
    left join register as r on replace(r.scheme, ' ', '_') = p.category and r.year = p.year
    where p.indicator = 'certified_by_scheme' and p.territory = 'FR'
    group by all
),

new_iso as (
    select p.source_line, p.category, p.value, count(c.member_id) as n
    from published as p
    left join members as m on m.federation_id = p.category and m.year = p.year
    left join member_certifications as c
        on c.member_id = m.member_id and c.scheme = 'CEDRE ISO 9001' and c.year = p.year
       and c.event = 'certification'
    where p.indicator = 'iso_new_by_federation'
    group by all
),

final as (
    select 'data/sources/figures', cast(source_line as varchar), 'registre = chiffre publié',
           'adhérents de type ' || category || ' : ' || n || ' dans le registre, ' || value || ' publiés'
    from by_type where n <> value
    union all
    select 'data/sources/figures', cast(source_line as varchar), 'registre = chiffre publié',
           'adhérents (' || territory || ') : ' || n || ' dans le registre, ' || value || ' publiés'
    from totals where n <> value
    union all
    select 'data/sources/figures', cast(source_line as varchar), 'registre = chiffre publié',
           'adhérents certifiés (' || territory || ') : ' || n || ' dans le registre, ' || value || ' publiés'
    from certified where n <> value
    union all
    select 'data/sources/figures', cast(source_line as varchar), 'registre = chiffre publié',
           'certifiés ' || category || ' : ' || n || ' dans le registre, ' || value || ' publiés'
    from by_scheme where n <> value
    union all
    select 'data/sources/figures', cast(source_line as varchar), 'registre = chiffre publié',
           'nouveaux CEDRE ISO 9001 en ' || category || ' : ' || n || ' dans le registre, ' || value || ' publiés'
    from new_iso where n <> value
)

select * from final;
