-- Every figure of the `figures` view with its French label and full source, for the
-- Sources page. Parameters: none.
-- Columns: theme, indicator, label, category, value, unit, year, territory, source.
select f.theme, f.indicator, coalesce(p.label, f.indicator) as label, f.category, f.value, f.unit,
       f.year, t.name as territory, f.source
from figures as f
left join figures_published as p using (theme, indicator, category, year, territory)
join territories as t on t.territory_id = f.territory
order by f.theme, coalesce(p.source_line, 0), f.indicator, f.category
