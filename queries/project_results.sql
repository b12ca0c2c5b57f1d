-- The result figures of one innovation project. Parameters: $project.
-- Columns: label, value, unit, year, note, source.
select f.label, f.value, f.unit, f.year, f.note,
       d.short_title || ' — ' || f.section || ' — « ' || f.original_text || ' »' as source
from figures_published as f
join source_documents as d using (source_file)
where f.theme = 'innovation_results' and f.category = $project
order by f.source_line
