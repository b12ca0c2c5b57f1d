-- Row checks on the published figures (stg_figures), before anything is written.
-- Output: source, line, rule, detail (one row per broken rule).

with known_territories as (
    select 'FR' as territory
    union all select federation_id from stg_regional_federations
    union all select region_2014_id from stg_regions_2014
    union all select dep_id from stg_departements
),

mandatory as (
    select src_file as source, src_line as line, 'champ obligatoire' as rule,
           'indicateur, libellé, unité, année, territoire, fichier source, section et texte original sont obligatoires' as detail
    from stg_figures
    where coalesce(indicator, '') = '' or coalesce(label, '') = '' or coalesce(unit, '') = ''
       or coalesce(year, '') = '' or coalesce(territory, '') = '' or coalesce(source_file, '') = ''
       or coalesce(section, '') = '' or coalesce(original_text, '') = ''
),

numeric as (
    select src_file, src_line, 'valeur numérique',
           'valeur « ' || value || ' » : nombre attendu (point décimal, sans espace)'
    from stg_figures
    where value <> '' and try_cast(value as double) is null
),

units as (
    select src_file, src_line, 'unité autorisée',
           'unité « ' || unit || ' » : attendu ' || (
               select string_agg(unit, ', ' order by position) filter (where position < (select max(position) from stg_units))
                      || ' ou ' || max_by(unit, position)
               from stg_units)
    from stg_figures
    where unit not in (select unit from stg_units)
),

years as (
    select src_file, src_line, 'année valide', 'année « ' || year || ' » : entier entre 1980 et 2100'
    from stg_figures
    where coalesce(try_cast(year as integer), 0) not between 1980 and 2100
),

percentages as (
    select src_file, src_line, 'pourcentage entre 0 et 100', 'valeur ' || value || ' %'
    from stg_figures
    where unit = '%' and try_cast(value as double) not between 0 and 100
),

negatives as (
    select src_file, src_line, 'valeur positive', 'valeur ' || value
    from stg_figures
    where try_cast(value as double) < 0
),

territories as (
    select src_file, src_line, 'territoire connu', 'territoire « ' || territory || ' » inconnu'
    from stg_figures
    where territory not in (select territory from known_territories)
),

documents as (
    select src_file, src_line, 'document source connu',
           'fichier source « ' || source_file || ' » absent de data/sources/documents.csv'
    from stg_figures
    where source_file not in (select source_file from stg_documents)
),

duplicates as (
    select src_file, src_line, 'identifiant unique',
           'indicateur ' || indicator || ', catégorie « ' || category || ' », ' || year || ', '
           || territory || ' : déjà défini (' || string_agg(src_file || ' ligne ' || src_line, ', ') over w || ')'
    from stg_figures
    window w as (partition by theme, indicator, category, year, territory)
    qualify count(*) over w > 1
),

final as (
    select * from mandatory
    union all select * from numeric
    union all select * from units
    union all select * from years
    union all select * from percentages
    union all select * from negatives
    union all select * from territories
    union all select * from documents
    union all select * from duplicates
)

select * from final;
