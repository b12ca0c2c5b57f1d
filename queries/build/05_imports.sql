-- The imports in force: written by observatoire.versions in the same transaction as the
-- imported rows, so that the swap of the file publishes both at once. A rebuild replays
-- them (from their archived rows) and writes them again. `if not exists`: an import into
-- a database built before this table existed creates it.

create table if not exists imports (
    version varchar primary key,
    seq integer not null unique,
    kind varchar not null,
    year integer,
    file_name varchar not null,
    sha256 varchar not null,
    user_name varchar not null,
    imported_at varchar not null,
    row_count integer not null,
    source_file varchar not null
);

comment on table imports is 'Imports d''administration en vigueur (fichier, empreinte, qui, quand), dans l''ordre où ils s''appliquent';
comment on column imports.version is 'Identifiant de l''import (date, heure, début de l''empreinte du fichier)';
comment on column imports.seq is 'Ordre d''application des imports';
comment on column imports.kind is 'Type de fichier : members, figures, projects, certifications';
comment on column imports.source_file is 'Clé de la ligne source_documents qui décrit cet import (provenance des lignes)';
