-- Key facts of the year for the overview: a short list of published figures chosen for a
-- board member, each with its source. Parameters: $year.
-- Columns: position, fact, value, unit, year, source_short.
with wanted (position, theme, indicator, category, fact) as (
    values
        (1, 'federation_resources', 'federation_resources_total', '', 'Ressources du COORACE national'),
        (2, 'governance', 'federation_components', 'coorace_regionaux', 'COORACE régionaux'),
        (3, 'cedre', 'iso_new_certified', '', 'Nouveaux certifiés CEDRE ISO 9001 en décembre'),
        (4, 'training', 'training_sessions', '', 'Sessions de formation organisées'),
        (5, 'training', 'training_hours', '', 'Heures de formation dispensées'),
        (6, 'economic_development', 'commercial_support_enterprises', '', 'Entreprises accompagnées en développement commercial'),
        (7, 'legal_helpdesk', 'legal_members_served', '', 'Adhérents servis par le service juridique (plus de)'),
        (8, 'research_innovation', 'ptce_charter_signatories_with_members', '', 'PTCE signataires de la charte impliquant des adhérents')
),

ranked as (
    select w.position, w.fact, f.value, f.unit, f.year, f.section, f.source_file,
           row_number() over (partition by w.position order by f.year desc) as rank
    from wanted as w
    join figures_published as f
        on f.theme = w.theme and f.indicator = w.indicator and f.category = w.category
       and f.territory = 'FR' and f.year <= $year
)

select r.position, r.fact, r.value, r.unit, r.year, source_short(d.short_title, r.section) as source_short
from ranked as r
join source_documents as d using (source_file)
where r.rank = 1
order by r.position
