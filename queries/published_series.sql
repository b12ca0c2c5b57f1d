-- One published series (an indicator split by category) for a territory, in its latest
-- year up to $year. A series published only for France returns no row for another
-- territory: pages then say the figure is national only.
-- Parameters: $theme, $indicator, $territory, $year.
-- Columns: category, category_label, label, value, unit, year, note, source, source_short.
with series as (
    select f.*, max(f.year) over () as latest
    from figures_published as f
    where f.theme = $theme and f.indicator = $indicator and f.territory = $territory
      and f.year <= $year
),

final as (
    select s.category, coalesce(s.category_label, s.label) as category_label, s.label, s.value,
           s.unit, s.year, s.note,
           d.short_title || ' — ' || s.section || ' — « ' || s.original_text || ' »' as source,
           source_short(d.short_title, s.section) as source_short,
           s.source_line
    from series as s
    join source_documents as d using (source_file)
    where s.year = s.latest
)

select category, category_label, label, value, unit, year, note, source, source_short
from final
order by source_line
