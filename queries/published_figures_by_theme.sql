-- Every figure of one theme published for a territory up to $year, in document order
-- (key facts, cards). Parameters: $theme, $territory, $year.
-- Columns: indicator, category, category_label, label, value, unit, year, note, source, source_short.
select f.indicator, f.category, f.category_label, f.label, f.value, f.unit, f.year, f.note,
       d.short_title || ' — ' || f.section || ' — « ' || f.original_text || ' »' as source,
       source_short(d.short_title, f.section) as source_short
from figures_published as f
join source_documents as d using (source_file)
where f.theme = $theme and f.territory = $territory and f.year <= $year
order by f.source_line
