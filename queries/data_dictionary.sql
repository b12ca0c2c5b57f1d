-- Tables and views of the database with their columns, types (in French) and descriptions.
-- Parameters: none. Columns: table_name, column_name, data_type, description, table_label.
-- Descriptions are the DuckDB comments (queries/build/95_comments.sql); a column without its own
-- comment takes the shared description of its name (provenance, places).
with shared (column_name, description) as (
    values ('source_file', 'Fichier du document source (table source_documents) ou fichier importé'),
           ('section', 'Section du document où se lit la donnée'),
           ('original_text', 'Texte original du document, cité tel quel'),
           ('commune_insee', 'Code INSEE de la commune'),
           ('commune_name', 'Nom de la commune'),
           ('dep_id', 'Département (table departements)'),
           ('federation_id', 'COORACE régional (table regional_federations)'),
           ('region_2014_id', 'Région 2014 (table regions_2014)'),
           ('region_2016_id', 'Région 2016 (table regions_2016)'),
           ('lon', 'Longitude (degrés, WGS 84)'),
           ('lat', 'Latitude (degrés, WGS 84)'),
           ('creation_year', 'Année de création'),
           ('fte', 'Équivalents temps plein (ETP)'),
           ('turnover_eur', 'Chiffre d''affaires annuel, en euros')
),

relations as (
    select table_name, comment from duckdb_tables()
    where schema_name = 'main' and database_name = current_database() and not internal
    union all
    select view_name, comment from duckdb_views()
    where schema_name = 'main' and database_name = current_database() and not internal
),

columns as (
    select table_name, column_name, column_index, data_type, nullif(comment, '') as comment
    from duckdb_columns()
    where schema_name = 'main' and database_name = current_database() and not internal
)

select c.table_name, c.column_name,
       case when c.data_type = 'VARCHAR' then 'texte'
            when c.data_type in ('INTEGER', 'BIGINT', 'SMALLINT', 'HUGEINT') then 'entier'
            when c.data_type in ('DOUBLE', 'FLOAT') or c.data_type like 'DECIMAL%' then 'nombre décimal'
            when c.data_type = 'BOOLEAN' then 'vrai / faux'
            when c.data_type = 'DATE' then 'date'
            when c.data_type like 'TIMESTAMP%' then 'date et heure'
            else lower(c.data_type) end as data_type,
       coalesce(c.comment, s.description, '') as description, coalesce(r.comment, '') as table_label
from columns as c
left join relations as r using (table_name)
left join shared as s using (column_name)
order by c.table_name, c.column_index
