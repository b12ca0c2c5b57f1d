-- Descriptions shown in the data dictionary (Sources et données page): every table and every column.
-- The build fails on a comment whose table or column does not exist, so this list follows the schema.

comment on view figures is 'Une ligne par chiffre publié (vue lue par d''autres outils : nom et colonnes stables)';
comment on column figures.theme is 'Thème (nom du fichier data/sources/figures/<thème>.csv ou table d''entités)';
comment on column figures.indicator is 'Identifiant stable de l''indicateur';
comment on column figures.category is 'Catégorie (type de structure, secteur, projet…) ou vide';
comment on column figures.value is 'Valeur telle que publiée (21,3 % -> 21.3 ; 2 812 K€ -> 2812 en k€) ; NULL si « ND »';
comment on column figures.unit is 'Unité : une de la table units';
comment on column figures.year is 'Année à laquelle se rapporte le chiffre';
comment on column figures.territory is 'Territoire : FR, fed-…, reg-…, dep-…';
comment on column figures.source is 'Document — section — « texte original »';

comment on view members_located is 'Adhérents (table members) avec leur département, leurs régions 2014 et 2016 et le libellé de leur type';
comment on column members_located.year is 'Année du registre';
comment on column members_located.member_id is 'Identifiant de l''adhérent';
comment on column members_located.name is 'Nom de l''adhérent';
comment on column members_located.structure_type is 'Type de structure (table structure_types)';
comment on column members_located.location_precision is 'commune, departement ou region (localisation approximative)';
comment on column members_located.is_demo is 'Vrai pour une ligne du jeu de démonstration (fictive)';
comment on column members_located.imputed_fields is 'Attributs que les documents ne donnent pas et qui ont été imputés';
comment on column members_located.dep_code is 'Code du département (31, 2A, 976…)';
comment on column members_located.dep_name is 'Nom du département';
comment on column members_located.type_label is 'Libellé complet du type de structure';
comment on column members_located.type_short_label is 'Libellé court du type de structure (AI, ACI…)';

comment on table build_info is 'Informations sur la construction de la base (clé, valeur)';
comment on column build_info.key is 'Nom de l''information (date de construction, version…)';
comment on column build_info.value is 'Valeur de l''information';

comment on table units is 'Unités possibles d''un chiffre (liste unique : observatoire/units.py)';
comment on column units.position is 'Ordre d''affichage';
comment on column units.unit is 'Unité telle qu''écrite dans les fichiers de chiffres (nombre, %, k€, M€, ETP…)';
comment on column units.euros is 'Valeur d''une unité en euros pour une unité monétaire (k€ -> 1000), vide sinon';

comment on table themes is 'Thèmes des chiffres publiés et leur titre en français';
comment on column themes.position is 'Ordre d''affichage du thème';
comment on column themes.theme is 'Identifiant du thème (nom du fichier de chiffres ou de la table d''entités)';
comment on column themes.label is 'Titre du thème en français';
comment on table key_indicators is 'Chiffres clés de la Vue d''ensemble (tuiles et évolution), choisis pour les administrateurs';
comment on column key_indicators.position is 'Ordre d''affichage de la tuile';
comment on column key_indicators.theme is 'Thème du chiffre publié (table themes)';
comment on column key_indicators.indicator is 'Indicateur du chiffre publié';
comment on column key_indicators.category is 'Catégorie du chiffre publié (vide pour un total)';
comment on column key_indicators.label is 'Libellé de la tuile';
comment on column key_indicators.unit_label is 'Ce que le chiffre compte, écrit sous la valeur';

comment on table source_documents is 'Documents publiés dont viennent les chiffres (texte dans data/documents/)';
comment on column source_documents.source_file is 'Fichier texte du document dans data/documents/';
comment on column source_documents.title is 'Titre complet du document';
comment on column source_documents.short_title is 'Titre court, pour les légendes';
comment on column source_documents.publisher is 'Éditeur du document';
comment on column source_documents.year is 'Année de publication';

comment on table structure_types is 'Types de structure des adhérents (AI, ACI, ETTI…) tels que le rapport les nomme';
comment on column structure_types.code is 'Code du type (AI, ACI, ETTI, EI, GES, ASP, RQ, AUTRE, NI)';
comment on column structure_types.label is 'Libellé complet du type';
comment on column structure_types.short_label is 'Libellé court, pour les graphiques';
comment on column structure_types.is_iae is 'Vrai pour une structure de l''insertion par l''activité économique';

comment on table regions_2016 is 'Régions administratives depuis 2016';
comment on column regions_2016.region_2016_id is 'Identifiant de la région (r16-<code INSEE>)';
comment on column regions_2016.code is 'Code INSEE de la région';
comment on column regions_2016.name is 'Nom de la région';

comment on table regions_2014 is 'Régions administratives de 2014 (avant la fusion de 2016), échelon des COORACE régionaux';
comment on column regions_2014.region_2014_id is 'Identifiant de la région (reg-…)';
comment on column regions_2014.name is 'Nom de la région';
comment on column regions_2014.insee_code is 'Code INSEE de la région en 2014';
comment on column regions_2014.is_overseas is 'Vrai pour une région d''outre-mer';

comment on table regional_federations is 'COORACE régionaux (18) tels que le rapport 2014 les liste';
comment on column regional_federations.federation_id is 'Identifiant du COORACE régional (fed-…)';
comment on column regional_federations.name is 'Nom du COORACE régional';

comment on table federation_regions is 'Régions 2014 couvertes par chaque COORACE régional (rapport 2014)';
comment on column federation_regions.federation_id is 'COORACE régional (table regional_federations)';
comment on column federation_regions.region_2014_id is 'Région 2014 couverte (table regions_2014)';

comment on table departements is 'Départements (101) avec leur région 2014 et 2016';
comment on column departements.dep_id is 'Identifiant du département (dep-<code>)';
comment on column departements.code is 'Code du département (31, 2A, 976…)';
comment on column departements.name is 'Nom du département';
comment on column departements.region_2014_id is 'Région 2014 du département (table regions_2014)';
comment on column departements.region_2016_id is 'Région 2016 du département (table regions_2016)';

comment on table territories is 'Territoires sélectionnables : France, COORACE régionaux, régions 2014, départements';
comment on column territories.territory_id is 'Identifiant du territoire (FR, fed-…, reg-…, dep-…), celui de l''adresse ?territoire=';
comment on column territories.level is 'Échelon : france, federation, region_2014, departement';
comment on column territories.name is 'Nom affiché du territoire';
comment on column territories.sort_key is 'Clé de tri des listes de territoires';

comment on table territory_departements is 'Départements couverts par chaque territoire';
comment on column territory_departements.territory_id is 'Territoire (table territories)';
comment on column territory_departements.dep_id is 'Département couvert (table departements)';

comment on table figures_published is 'Chiffres publiés, avec libellés français et provenance détaillée';
comment on column figures_published.theme is 'Thème (nom du fichier data/sources/figures/<thème>.csv)';
comment on column figures_published.indicator is 'Identifiant stable de l''indicateur';
comment on column figures_published.label is 'Libellé de l''indicateur en français';
comment on column figures_published.category is 'Code de la catégorie (type de structure, secteur…) ou vide';
comment on column figures_published.category_label is 'Libellé de la catégorie en français';
comment on column figures_published.value is 'Valeur telle que publiée ; vide si le document écrit « ND »';
comment on column figures_published.unit is 'Unité : une de la table units';
comment on column figures_published.year is 'Année à laquelle se rapporte le chiffre';
comment on column figures_published.territory is 'Territoire du chiffre (table territories)';
comment on column figures_published.note is 'Remarque sur la lecture du chiffre (ambiguïté, valeur dérivée…)';
comment on column figures_published.source_line is 'Ordre du chiffre dans son fichier source';

comment on table consistency_rules is 'Règles de cohérence contrôlées à la construction (parts, totaux)';
comment on column consistency_rules.theme is 'Thème des chiffres contrôlés';
comment on column consistency_rules.indicator is 'Indicateur contrôlé';
comment on column consistency_rules.rule is 'Règle : les parts font 100 %, ou les catégories font le total';
comment on column consistency_rules.total_indicator is 'Indicateur du total attendu';
comment on column consistency_rules.total_category is 'Catégorie du total attendu';
comment on column consistency_rules.tolerance is 'Écart toléré (arrondis des documents)';

comment on table federation_staff is 'Équipes des COORACE régionaux telles que le rapport 2014 les liste';
comment on column federation_staff.federation_id is 'COORACE régional (table regional_federations)';
comment on column federation_staff.person is 'Nom de la personne';
comment on column federation_staff.role is 'Fonction';
comment on column federation_staff.note is 'Remarque (poste vacant, intérim…)';

comment on table governance_members is 'Membres du Bureau et du Conseil d''administration du COORACE national (rapport 2014)';
comment on column governance_members.body is 'Instance : Bureau ou Conseil d''administration';
comment on column governance_members.person is 'Nom de la personne';
comment on column governance_members.role is 'Fonction dans l''instance';
comment on column governance_members.college is 'Collège de l''élu·e';
comment on column governance_members.represents is 'Adhérent ou COORACE régional représenté';
comment on column governance_members.represents_departement is 'Département de l''adhérent représenté, tel que le rapport l''écrit';

comment on table innovation_axes is 'Les trois axes d''innovation du rapport 2014';
comment on column innovation_axes.axis_id is 'Numéro de l''axe (1 à 3)';
comment on column innovation_axes.short_label is 'Titre court de l''axe';
comment on column innovation_axes.title is 'Titre complet de l''axe';
comment on column innovation_axes.description is 'Description de l''axe dans le rapport';

comment on table innovation_projects is 'Projets d''innovation du rapport d''activité 2014, localisés';
comment on column innovation_projects.project_id is 'Identifiant du projet';
comment on column innovation_projects.name is 'Nom du projet';
comment on column innovation_projects.carrier is 'Adhérent qui porte le projet';
comment on column innovation_projects.federation_id is 'COORACE régional du lieu du projet';
comment on column innovation_projects.location_precision is 'Précision du lieu : commune, departement, region ou national';
comment on column innovation_projects.axis_id is 'Axe d''innovation (table innovation_axes)';
comment on column innovation_projects.axis_basis is 'Comment l''axe a été attribué (le rapport ne classe pas ses projets)';
comment on column innovation_projects.summary is 'Résumé du projet';

comment on table social_utility_enterprises is 'Les six entreprises de la synthèse utilité sociale territoriale';
comment on column social_utility_enterprises.enterprise_id is 'Identifiant de l''entreprise';
comment on column social_utility_enterprises.name is 'Nom de l''entreprise';
comment on column social_utility_enterprises.structure_description is 'Description de la structure par la synthèse';
comment on column social_utility_enterprises.structure_type is 'Type de structure (table structure_types)';
comment on column social_utility_enterprises.other_communes is 'Autres communes d''implantation (codes INSEE séparés par |)';
comment on column social_utility_enterprises.certification_scheme is 'Label qualité que la synthèse mentionne ; vide si elle n''en dit rien';
comment on column social_utility_enterprises.certified_since is 'Année du label selon la synthèse';
comment on column social_utility_enterprises.certification_note is 'Précision de la synthèse sur le label';

comment on table training_offers is 'Formations dont le rapport publie les tarifs (adhérent = tarif le plus bas)';
comment on column training_offers.offer_id is 'Identifiant de la formation';
comment on column training_offers.title is 'Intitulé de la formation';
comment on column training_offers.domain is 'Domaine de formation';
comment on column training_offers.price_member_eur is 'Tarif adhérent, en euros';
comment on column training_offers.price_non_member_eur is 'Tarif non adhérent, en euros';
comment on column training_offers.duration_text is 'Durée telle que le rapport l''écrit';
comment on column training_offers.hours is 'Durée en heures';
comment on column training_offers.min_trainees is 'Nombre minimum de stagiaires';
comment on column training_offers.max_trainees is 'Nombre maximum de stagiaires';
comment on column training_offers.trainers is 'Formateurs et formatrices';

comment on table quality_schemes is 'Labels qualité connus : CEDRE, CEDRE ISO 9001, CAP RSE (à partir de 2025)';
comment on column quality_schemes.scheme is 'Nom du label';
comment on column quality_schemes.description is 'Description du label';
comment on column quality_schemes.valid_from is 'Première année où le label existe (vide : depuis toujours)';
comment on column quality_schemes.valid_to is 'Dernière année où le label existe (vide : toujours en vigueur)';

comment on table members is 'Registre des adhérents par année ; is_demo = ligne de démonstration (fictive)';
comment on column members.year is 'Année du registre';
comment on column members.member_id is 'Identifiant de l''adhérent';
comment on column members.name is 'Nom de l''adhérent';
comment on column members.structure_type is 'Type de structure (table structure_types)';
comment on column members.federation_id is 'COORACE régional de l''adhérent (vide : aucun)';
comment on column members.location_precision is 'commune, departement ou region (localisation approximative)';
comment on column members.creation_year is 'Année de création, si connue';
comment on column members.fte is 'Équivalents temps plein, si connus';
comment on column members.turnover_eur is 'Chiffre d''affaires annuel en euros, si connu';
comment on column members.is_demo is 'Vrai pour une ligne du jeu de démonstration (graine fixe), jamais une donnée réelle';
comment on column members.imputed_fields is 'Attributs d''un adhérent nommé que les documents ne donnent pas et qui ont été imputés';

comment on table member_certifications is 'Labels qualité des adhérents (générique : label, niveau, année)';
comment on column member_certifications.member_id is 'Adhérent (table members)';
comment on column member_certifications.scheme is 'Label (table quality_schemes)';
comment on column member_certifications.level is 'Niveau du label, s''il en a';
comment on column member_certifications.year is 'Année de la certification ou du renouvellement';
comment on column member_certifications.event is 'certification ou renouvellement';
comment on column member_certifications.is_demo is 'Vrai pour une ligne de démonstration (années antérieures à 2014 illustratives)';

comment on table imports is 'Imports d''administration en vigueur (fichier, empreinte, qui, quand), dans l''ordre où ils s''appliquent';
comment on column imports.year is 'Année des données importées';
comment on column imports.file_name is 'Nom du fichier importé';
comment on column imports.sha256 is 'Empreinte SHA-256 du fichier';
comment on column imports.user_name is 'Administrateur qui a importé le fichier';
comment on column imports.imported_at is 'Date et heure de l''import';
comment on column imports.row_count is 'Nombre de lignes importées';
