-- Every figure of one theme published up to $year (and the objectives set for the next year):
-- the territory's own and, for a territory other than France, the national ones (marked), in
-- document order. The themes' tables on the
-- pages show each published figure somewhere other than the Sources page.
-- Parameters: $theme, $territory, $year.
-- Columns: label, category_label, value, unit, year, territory, territory_name, is_national,
--          source, source_short.
select f.label, coalesce(f.category_label, '') as category_label, f.value, f.unit, f.year,
       f.territory, t.name as territory_name, f.territory = 'FR' as is_national,
       d.short_title || ' — ' || f.section || ' — « ' || f.original_text || ' »' as source,
       source_short(d.short_title, f.section) as source_short
from figures_published as f
join territories as t on t.territory_id = f.territory
join source_documents as d using (source_file)
where f.theme = $theme and f.year <= $year + 1  -- the next year: objectives and decisions announced
  and (f.territory = $territory or f.territory = 'FR')
order by f.territory <> $territory, f.source_line
