-- Tables and views of the database with their columns, types and descriptions.
-- Parameters: none. Columns: table_name, column_name, data_type, description.
select c.table_name, c.column_name, c.data_type, coalesce(c.comment, '') as description
from duckdb_columns() as c
where c.schema_name = 'main' and c.database_name = current_database()
order by c.table_name, c.column_index
