-- Public views. `figures` is read by other tools: keep its name and columns
-- (theme, indicator, category, value, unit, year, territory, source).

create view figures as
with published as (
    select theme, indicator, category, value, unit, year, territory,
           source_file || ' — ' || section || ' — « ' || original_text || ' »' as source
    from figures_published
),

enterprise_base as (
    select enterprise_id, dep_id, creation_year, fte, turnover_eur,
           source_file || ' — ' || section || ' — « ' || original_text || ' »' as source
    from social_utility_enterprises
),

enterprises as (
    select 'social_utility_enterprises' as theme, 'enterprise_creation_year' as indicator,
           enterprise_id as category, cast(creation_year as double) as value, 'année' as unit,
           2014 as year, dep_id as territory, source
    from enterprise_base where creation_year is not null
    union all
    select 'social_utility_enterprises', 'enterprise_fte', enterprise_id, fte, 'ETP',
           2014, dep_id, source
    from enterprise_base where fte is not null
    union all
    select 'social_utility_enterprises', 'enterprise_turnover', enterprise_id, turnover_eur, '€',
           2014, dep_id, source
    from enterprise_base where turnover_eur is not null
),

offer_base as (
    select offer_id, price_member_eur, price_non_member_eur, hours,
           source_file || ' — ' || section || ' — « ' || original_text || ' »' as source
    from training_offers
),

offers as (
    select 'training_offers' as theme, 'price_member' as indicator, offer_id as category,
           price_member_eur as value, '€' as unit, 2014 as year, 'FR' as territory, source
    from offer_base
    union all
    select 'training_offers', 'price_non_member', offer_id, price_non_member_eur, '€',
           2014, 'FR', source
    from offer_base
    union all
    select 'training_offers', 'duration_hours', offer_id, hours, 'heures', 2014, 'FR', source
    from offer_base where hours is not null
),

final as (
    select * from published
    union all
    select * from enterprises
    union all
    select * from offers
)

select * from final;

-- Members with their territorial attachments, for every territorial query.
create view members_located as
select m.*, d.code as dep_code, d.name as dep_name, d.region_2014_id, d.region_2016_id,
       st.label as type_label, st.short_label as type_short_label
from members as m
join departements as d using (dep_id)
join structure_types as st on st.code = m.structure_type;
