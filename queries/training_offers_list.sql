-- COORACE Formation's training offers as the report lists them. Parameters: none.
-- Columns: title, domain, duration_text, hours, price_member_eur, price_non_member_eur,
--          trainees, trainers, source_short, source.
select o.title, coalesce(o.domain, '') as domain, coalesce(o.duration_text, '') as duration_text, o.hours,
       o.price_member_eur, o.price_non_member_eur,
       case when o.min_trainees is not null and o.max_trainees is not null
            then 'de ' || o.min_trainees || ' à ' || o.max_trainees || ' personnes' else '' end as trainees,
       coalesce(o.trainers, '') as trainers,
       source_short(d.short_title, split_part(o.section, ' — ', 1)) as source_short,
       d.short_title || ' — ' || o.section || ' — « ' || o.original_text || ' »' as source
from training_offers as o
join source_documents as d using (source_file)
order by o.rowid
