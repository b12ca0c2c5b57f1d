-- Record one import in the database it changes, in the same transaction as its rows: the
-- source document its rows point to (so that every page shows « Fichier … importé le … par … »)
-- and its line in the table of imports in force.
-- Parameters: $version, $seq, $kind, $year, $file_name, $sha256, $user_name, $imported_at,
--             $row_count, $source, $title, $doc_year.
insert into source_documents
values ($source, $title, $title, $user_name, $doc_year);

insert into imports
values ($version, $seq, $kind, $year, $file_name, $sha256, $user_name, $imported_at, $row_count, $source);
