-- Every figure of the `figures` view with its French labels and full source, for the Sources page.
-- Parameters: none.
-- Columns: theme, indicator, category (codes), theme_label, label, category_label, value, unit,
--          year, territory, source (document title — section — « original text »).
-- Figures drawn from entity tables (the synthesis' enterprises, training offers) have no row in
-- figures_published: their label and category come from the entity itself.
with entity_labels (indicator, label) as (
    values ('enterprise_creation_year', 'Année de création'),
           ('enterprise_fte', 'Équivalents temps plein (ETP)'),
           ('enterprise_turnover', 'Chiffre d''affaires annuel'),
           ('price_member', 'Tarif adhérent'),
           ('price_non_member', 'Tarif non adhérent'),
           ('duration_hours', 'Durée (heures)')
)

select f.theme, f.indicator, f.category, coalesce(th.label, f.theme) as theme_label,
       coalesce(p.label, el.label, f.indicator) as label,
       coalesce(p.category_label, e.name, o.title, nullif(f.category, '')) as category_label,
       f.value, f.unit, f.year, t.name as territory,
       coalesce(replace(f.source, d.source_file || ' — ', d.short_title || ' — '), f.source) as source
from figures as f
left join figures_published as p using (theme, indicator, category, year, territory)
left join entity_labels as el on el.indicator = f.indicator
left join social_utility_enterprises as e on f.theme = 'social_utility_enterprises' and e.enterprise_id = f.category
left join training_offers as o on f.theme = 'training_offers' and o.offer_id = f.category
left join themes as th on th.theme = f.theme
left join source_documents as d on starts_with(f.source, d.source_file || ' — ')
join territories as t on t.territory_id = f.territory
order by coalesce(th.position, 99), f.theme, coalesce(p.source_line, 0), f.indicator, f.category
