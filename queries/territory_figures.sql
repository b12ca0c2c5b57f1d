-- Figures published for a territory itself or for a territory that contains it or that it
-- contains (e.g. Midi-Pyrénées figures for the département 31), up to $year. None for France
-- entière: its own figures are the national ones of every page, not the regional rows it contains.
-- Parameters: $territory, $year.
-- Columns: territory, label, category_label, value, unit, year, source_short, relation.
with mine as (select dep_id from territory_departements where territory_id = $territory),

related as (
    select t.territory_id,
           case when t.territory_id = $territory then 'ce territoire'
                when not exists (
                    select 1 from territory_departements as x
                    where x.territory_id = t.territory_id and x.dep_id not in (select dep_id from mine)
                ) then 'un territoire inclus'
                else 'un territoire englobant' end as relation
    from territories as t
    where t.territory_id <> 'FR' and $territory <> 'FR'
      and exists (
          select 1 from territory_departements as x
          where x.territory_id = t.territory_id and x.dep_id in (select dep_id from mine)
      )
)

select t.name as territory, f.label, coalesce(f.category_label, '') as category_label, f.value,
       f.unit, f.year, source_short(d.short_title, f.section) as source_short, r.relation
from figures_published as f
join related as r on r.territory_id = f.territory
join territories as t on t.territory_id = f.territory
join source_documents as d using (source_file)
where f.year <= $year and f.theme <> 'innovation_results'
order by r.relation, f.source_line
