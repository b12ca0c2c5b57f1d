-- Public funding against own revenue by structure type (retained series), latest year up
-- to $year, national figures only. Parameters: $territory, $year.
-- Columns: category, category_label, series, value, year, source_short.
with mix as (
    select f.category, coalesce(f.category_label, f.category) as category_label,
           case f.indicator when 'public_funding_share' then 'Financements publics'
                            else 'Activité économique' end as series,
           f.value, f.year, f.source_line,
           source_short(d.short_title, f.section) as source_short,
           max(f.year) over () as latest
    from figures_published as f
    join source_documents as d using (source_file)
    where f.theme = 'funding_mix' and f.indicator in ('public_funding_share', 'own_revenue_share')
      and f.territory = $territory and f.year <= $year
)

select category, category_label, series, value, year, source_short
from mix
where year = latest
order by source_line
