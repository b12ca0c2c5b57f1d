-- The source documents. Parameters: none. Columns: source_file, title, short_title, publisher, year.
select source_file, title, short_title, publisher, year from source_documents order by source_file desc
