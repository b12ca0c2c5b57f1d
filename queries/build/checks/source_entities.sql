-- Row checks on the descriptive tables (entities, territories), before anything is written.
-- Output: source, line, rule, detail.

with federations as (select federation_id from stg_regional_federations),

types as (select code from stg_structure_types),

deps as (select code from stg_departements),

unknown_federation as (
    select src_file as source, src_line as line, 'COORACE régional connu' as rule,
           'fédération « ' || federation_id || ' » inconnue' as detail
    from stg_federation_staff where federation_id not in (select * from federations)
    union all
    select src_file, src_line, 'COORACE régional connu', 'fédération « ' || federation_id || ' » inconnue'
    from stg_federation_regions where federation_id not in (select * from federations)
    union all
    select src_file, src_line, 'COORACE régional connu', 'fédération « ' || federation_id || ' » inconnue'
    from stg_innovation_projects
    where federation_id <> '' and federation_id not in (select * from federations)
    union all
    select src_file, src_line, 'COORACE régional connu', 'fédération « ' || federation_id || ' » inconnue'
    from stg_social_utility_enterprises
    where federation_id <> '' and federation_id not in (select * from federations)
    union all
    select src_file, src_line, 'COORACE régional connu', 'fédération « ' || federation_id || ' » inconnue'
    from stg_members_named
    where federation_id <> '' and federation_id not in (select * from federations)
),

unknown_type as (
    select src_file, src_line, 'type de structure connu',
           'type « ' || structure_type || ' » inconnu (attendu : AI, ACI, EI, ETTI, GES, RQ, ASP, NL, AUTRE)'
    from stg_social_utility_enterprises where structure_type not in (select * from types)
    union all
    select src_file, src_line, 'type de structure connu',
           'type « ' || structure_type || ' » inconnu (attendu : AI, ACI, EI, ETTI, GES, RQ, ASP, NL, AUTRE)'
    from stg_members_named
    where structure_type <> '' and structure_type not in (select * from types)
),

unknown_departement as (
    select src_file, src_line, 'département connu', 'département « ' || departement || ' » inconnu'
    from stg_innovation_projects
    where departement <> '' and departement not in (select * from deps)
    union all
    select src_file, src_line, 'département connu', 'département « ' || departement || ' » inconnu'
    from stg_social_utility_enterprises where departement not in (select * from deps)
    union all
    select src_file, src_line, 'département connu', 'département « ' || departement || ' » inconnu'
    from stg_members_named
    where departement <> '' and departement not in (select * from deps)
),

bad_numbers as (
    select src_file, src_line, 'valeur numérique', 'prix « ' || price_member_eur || ' » / « '
           || price_non_member_eur || ' » : nombres attendus'
    from stg_training_offers
    where try_cast(price_member_eur as double) is null
       or try_cast(price_non_member_eur as double) is null
    union all
    select src_file, src_line, 'valeur numérique', 'ETP « ' || fte || ' », chiffre d''affaires « '
           || turnover_eur || ' », création « ' || creation_year || ' » : nombres attendus'
    from stg_social_utility_enterprises
    where (fte <> '' and try_cast(fte as double) is null)
       or (turnover_eur <> '' and try_cast(turnover_eur as double) is null)
       or (creation_year <> '' and try_cast(creation_year as integer) is null)
    union all
    select src_file, src_line, 'valeur numérique', 'ETP « ' || fte || ' », chiffre d''affaires « '
           || turnover_eur || ' », création « ' || creation_year || ' » : nombres attendus'
    from stg_members_named
    where (fte <> '' and try_cast(fte as double) is null)
       or (turnover_eur <> '' and try_cast(turnover_eur as double) is null)
       or (creation_year <> '' and try_cast(creation_year as integer) is null)
),

member_price as (
    select src_file, src_line, 'tarif adhérent ≤ tarif non adhérent',
           'tarif adhérent ' || price_member_eur || ' € > tarif non adhérent ' || price_non_member_eur || ' €'
    from stg_training_offers
    where try_cast(price_member_eur as double) > try_cast(price_non_member_eur as double)
),

precision as (
    select src_file, src_line, 'précision de localisation',
           'précision « ' || location_precision || ' » : attendu commune, departement, region ou national'
    from stg_innovation_projects
    where location_precision not in ('commune', 'departement', 'region', 'national')
    union all
    select src_file, src_line, 'précision de localisation',
           'précision « ' || location_precision || ' » : attendu commune, departement ou region'
    from stg_members_named
    where location_precision not in ('commune', 'departement', 'region')
),

duplicate_ids as (
    select src_file, src_line, 'identifiant unique', 'adhérent « ' || member_id || ' » en double'
    from stg_members_named qualify count(*) over (partition by member_id) > 1
    union all
    select src_file, src_line, 'identifiant unique', 'projet « ' || project_id || ' » en double'
    from stg_innovation_projects qualify count(*) over (partition by project_id) > 1
    union all
    select src_file, src_line, 'identifiant unique', 'entreprise « ' || enterprise_id || ' » en double'
    from stg_social_utility_enterprises qualify count(*) over (partition by enterprise_id) > 1
),

certifications as (
    select src_file, src_line, 'adhérent connu', 'adhérent « ' || member_id || ' » absent de members_named.csv'
    from stg_member_certifications_named
    where member_id not in (select member_id from stg_members_named)
    union all
    select src_file, src_line, 'label qualité connu',
           'label « ' || scheme || ' » : attendu CEDRE, CEDRE ISO 9001 ou CAP RSE'
    from stg_member_certifications_named where scheme not in ('CEDRE', 'CEDRE ISO 9001', 'CAP RSE')
),

final as (
    select * from unknown_federation
    union all select * from unknown_type
    union all select * from unknown_departement
    union all select * from bad_numbers
    union all select * from member_price
    union all select * from precision
    union all select * from duplicate_ids
    union all select * from certifications
)

select * from final;
