-- Add or replace published figures (key: theme, indicator, category, year, territory), and
-- register the documents they cite. Each figure keeps the document it cites; its section
-- names the import (file, date, who) so that every page showing its source shows it.
-- Parameters: $source (the import's source_documents key), $provenance (« fichier … importé le … par … »).
insert into source_documents
select distinct i.source_file, i.source_file, i.source_file, 'Import (' || $source || ')', max(i.year) over ()
from import_rows as i
where i.source_file not in (select source_file from source_documents);

delete from figures_published as f
using import_rows as i
where f.theme = i.theme and f.indicator = i.indicator and f.category = i.category
  and f.year = i.year and f.territory = i.territory;

insert into figures_published
select theme, indicator, label, category, category_label, value, unit, year, territory, source_file,
       section || ' (' || $provenance || ')', original_text, note, source_line
from import_rows;
