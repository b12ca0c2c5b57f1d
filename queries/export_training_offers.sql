-- Download of the training offers and their prices (Sources page). Parameters: none.
-- Columns: title, domain, price_member_eur, price_non_member_eur, duration_text, hours, min_trainees,
--          max_trainees, trainers, document, section, original_text.
select o.title, o.domain, o.price_member_eur, o.price_non_member_eur, o.duration_text, o.hours,
       o.min_trainees, o.max_trainees, o.trainers, coalesce(doc.short_title, o.source_file) as document,
       o.section, o.original_text
from training_offers as o
left join source_documents as doc on doc.source_file = o.source_file
order by o.rowid
