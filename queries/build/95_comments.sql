-- Descriptions shown in the data dictionary (Sources et données page).

comment on view figures is 'Une ligne par chiffre publié (vue lue par d''autres outils : nom et colonnes stables)';
comment on column figures.theme is 'Thème (nom du fichier data/sources/figures/<thème>.csv ou table d''entités)';
comment on column figures.indicator is 'Identifiant stable de l''indicateur';
comment on column figures.category is 'Catégorie (type de structure, secteur, projet…) ou vide';
comment on column figures.value is 'Valeur telle que publiée (21,3 % -> 21.3 ; 2 812 K€ -> 2812 en k€) ; NULL si « ND »';
comment on column figures.unit is 'Unité : une de la table units';
comment on column figures.year is 'Année à laquelle se rapporte le chiffre';
comment on column figures.territory is 'Territoire : FR, fed-…, reg-…, dep-…';
comment on column figures.source is 'Document — section — « texte original »';
comment on table units is 'Unités possibles d''un chiffre (liste unique : observatoire/units.py)';
comment on table figures_published is 'Chiffres publiés, avec libellés français et provenance détaillée';
comment on table members is 'Registre des adhérents par année ; is_demo = ligne de démonstration (fictive)';
comment on column members.is_demo is 'Vrai pour une ligne du jeu de démonstration (graine fixe), jamais une donnée réelle';
comment on column members.imputed_fields is 'Attributs d''un adhérent nommé que les documents ne donnent pas et qui ont été imputés';
comment on column members.location_precision is 'commune, departement ou region (localisation approximative)';
comment on table member_certifications is 'Labels qualité des adhérents (générique : label, niveau, année)';
comment on table quality_schemes is 'Labels qualité connus : CEDRE, CEDRE ISO 9001, CAP RSE (à partir de 2025)';
comment on table territories is 'Territoires sélectionnables : France, COORACE régionaux, régions 2014, départements';
comment on table territory_departements is 'Départements couverts par chaque territoire';
comment on table departements is 'Départements (101) avec leur région 2014 et 2016';
comment on table federation_regions is 'Régions 2014 couvertes par chaque COORACE régional (rapport 2014)';
comment on table innovation_projects is 'Projets d''innovation du rapport d''activité 2014, localisés';
comment on table social_utility_enterprises is 'Les six entreprises de la synthèse utilité sociale territoriale';
comment on table training_offers is 'Formations dont le rapport publie les tarifs (adhérent = tarif le plus bas)';
comment on table federation_staff is 'Équipes des COORACE régionaux telles que le rapport 2014 les liste';
comment on table consistency_rules is 'Règles de cohérence contrôlées à la construction (parts, totaux)';
