-- Macros the named queries share, so that a label is written once.
-- source_short(short_title, section): a figure's short source, « Rapport d'activité 2014, « Section » ».

create macro source_short(short_title, section) as short_title || ', « ' || section || ' »';
