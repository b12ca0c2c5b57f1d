-- The overview's key figures: for each KPI, the latest national figure published up to
-- $year, with its previous value when an earlier year exists (for deltas).
-- Parameters: $year (INTEGER).
-- Columns: position, label, unit_label, value, unit, year, previous_value, previous_year,
--          source, source_short.
with ranked as (
    select w.position, w.label, w.unit_label, f.value, f.unit, f.year, f.source_file, f.section,
           f.original_text,
           lead(f.value) over (partition by w.position order by f.year desc) as previous_value,
           lead(f.year) over (partition by w.position order by f.year desc) as previous_year,
           row_number() over (partition by w.position order by f.year desc) as rank
    from key_indicators as w
    join figures_published as f
        on f.theme = w.theme and f.indicator = w.indicator and f.category = w.category
       and f.territory = 'FR' and f.year <= $year
),

final as (
    select r.position, r.label, r.unit_label, r.value, r.unit, r.year, r.previous_value,
           r.previous_year,
           d.short_title || ' — ' || r.section || ' — « ' || r.original_text || ' »' as source,
           source_short(d.short_title, r.section) as source_short
    from ranked as r
    join source_documents as d using (source_file)
    where r.rank = 1
)

select * from final
order by position
