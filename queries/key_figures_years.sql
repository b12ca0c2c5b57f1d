-- Every year of each key figure of the overview (table key_indicators), France, up to $year: the
-- tiles' trend lines and the evolution table. Parameters: $year.
-- Columns: position, label, unit_label, year, value, unit, source, source_short.
select k.position, k.label, k.unit_label, f.year, f.value, f.unit,
       d.short_title || ' — ' || f.section || ' — « ' || f.original_text || ' »' as source,
       source_short(d.short_title, f.section) as source_short
from key_indicators as k
join figures_published as f
    on f.theme = k.theme and f.indicator = k.indicator and f.category = k.category
   and f.territory = 'FR' and f.year <= $year
join source_documents as d using (source_file)
order by k.position, f.year
