"""The pages' lists and tables as blocks (observatoire.content_blocks): each block's numbers equal the database, in
the block's data and on its page (AppTest); national projects are listed under their own title; the presentation
offers every one of them."""

from __future__ import annotations

import pytest

from observatoire import content_blocks as cb
from observatoire import db, fmt, slides
from tests.test_pages import markdown, metrics, q, run_page, shown_number

YEAR = 2014


def build(built_db, fn, territory="FR", **kwargs):
    con = db.connect(built_db)
    try:
        return fn(con, territory, YEAR, **kwargs)
    finally:
        con.close()


def page_table(at, *columns):
    """The one table of the page with these columns."""
    found = [df.value for df in at.dataframe if set(columns) <= set(df.value.columns)]
    assert len(found) == 1, f"{columns} : {len(found)} tableau(x)"
    return found[0]


def headings(at) -> list[str]:
    return [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]


def test_the_year_in_brief_is_the_key_facts_of_the_database_with_no_year_written_in_its_text(built_db):
    facts = q(built_db, "key_facts", year=YEAR)
    b = build(built_db, cb.year_in_brief)
    assert b.data.label.tolist() == facts.fact.tolist() and len(b.data) == 8
    assert b.data.value.tolist() == facts.value.tolist() and b.data.unit.tolist() == facts.unit.tolist()
    assert b.data.caption.tolist() == [str(y) for y in facts.year]
    assert not any("2014" in f for f in facts.fact)  # the year is the figure's, under its value
    assert set(b.sources) == set(facts.source_short)
    tiles = metrics(run_page("app.py"))
    assert [tiles[f] for f in facts.fact] == [fmt.with_unit(v, u) for v, u in zip(facts.value, facts.unit)]
    assert tiles["Ressources du COORACE national"] == fmt.with_unit(2812, "k€")


@pytest.mark.parametrize("territoire", [None, "fed-midi-pyrenees"])
def test_the_members_list_is_the_register_with_its_estimated_marks_and_its_search(built_db, territoire):
    members = q(built_db, "members_list", territory=territoire or "FR", year=YEAR)
    b = build(built_db, cb.members_list, territoire or "FR")
    assert b.data["Nom"].tolist() == members.name.tolist()
    assert b.data["Type"].tolist() == members.type_label.tolist()  # « (estimé) » in the cell itself
    assert b.subtitle == f"{len(members)} adhérent(s) affiché(s) sur {len(members)}."
    estimated = int(members.estimated.notna().sum())
    assert any(f"{estimated} adhérent(s) nommé(s)" in line for line in b.body) == (estimated > 0)
    at = run_page("pages/1_adherents.py", territoire, "Liste des adhérents")
    shown = page_table(at, "Nom", "Démonstration")
    assert shown["Nom"].tolist() == members.name.tolist()
    word = members.name.iloc[0].split()[0]  # the search box reaches the block
    found = build(built_db, cb.members_list, territoire or "FR", search=word).data
    at.text_input(key="members_search").input(word).run()
    assert page_table(at, "Nom", "Démonstration")["Nom"].tolist() == found["Nom"].tolist()
    assert f"{len(found)} adhérent(s) affiché(s) sur {len(members)}." in [c.value for c in at.caption]
    assert 1 <= len(found) < len(members)


def test_the_members_search_matches_every_word_accent_and_case_blind(built_db):
    b = build(built_db, cb.members_list, search="IRISSÉ")
    assert b.data["Nom"].tolist() == ["IRISSE"]
    assert build(built_db, cb.members_list, search="irisse zzz").data.empty


@pytest.mark.parametrize("territory", ["FR", "fed-midi-pyrenees", "dep-31"])
def test_the_federation_teams_are_those_of_the_federations_covering_the_territory(built_db, territory):
    teams = q(built_db, "federation_teams", federation="")
    covering = q(built_db, "federations_of_territory", territory=territory).federation_id
    expected = teams if territory == "FR" else teams[teams.federation_id.isin(covering)]
    b = build(built_db, cb.federation_teams, territory)
    assert b.data["Nom"].tolist() == expected.person.tolist() and len(b.data) > 0
    assert b.data["COORACE régional"].tolist() == expected.federation.tolist()
    assert b.subtitle == f"{len(expected)} personne(s) dans {expected.federation_id.nunique()} COORACE régional(aux)."
    if territory == "fed-midi-pyrenees":
        at = run_page("pages/6_mon_territoire.py", territory, "Chiffres et projets")
        assert page_table(at, "Nom", "Fonction")["Nom"].tolist() == expected.person.tolist()
        assert "Sylvia RICCI-RAGUENEAU" in expected.person.tolist()


@pytest.mark.parametrize("territoire", [None, "dep-31"])
def test_the_iso_objective_is_the_published_one_beside_the_register(built_db, territoire):
    objective = q(built_db, "published_series", theme="cedre", indicator="iso_new_objective", territory="FR",
                  year=YEAR + 1)
    goal_year = int(objective.year.iloc[0])
    done = int(q(built_db, "certifications_in_year", territory="FR", scheme="CEDRE ISO 9001",
                 year=goal_year).certifications.iloc[0])
    b = build(built_db, cb.iso_objective, territoire or "FR")
    assert b.data.value.tolist() == [objective.value.iloc[0], done, 100 * done / objective.value.iloc[0]]
    assert b.data.source.iloc[0] == objective.source_short.iloc[0]
    at = run_page("pages/3_qualite_cedre.py", territoire)
    tiles = metrics(at)
    assert tiles[f"Objectif {goal_year} : nouveaux ISO 9001"] == fmt.number(objective.value.iloc[0]) == "14"
    assert tiles[f"Certifiés ISO 9001 en {goal_year}"] == fmt.number(done)
    assert tiles["Progression"] == fmt.with_unit(100 * done / objective.value.iloc[0], "%")
    notice = "Chiffre publié pour la France entière seulement"
    assert (notice in b.national_only) == (territoire is not None)


@pytest.mark.parametrize("territoire", [None, "fed-midi-pyrenees"])
def test_certified_members_by_label_are_the_register_counts(built_db, territoire):
    certified = q(built_db, "certified_by_scheme", territory=territoire or "FR", year=YEAR)
    b = build(built_db, cb.certified_by_label, territoire or "FR")
    assert b.data["Adhérents certifiés"].tolist() == certified.members.tolist()
    assert b.data["Label"].tolist() == certified.scheme.tolist()
    table = page_table(run_page("pages/3_qualite_cedre.py", territoire), "Label", "Adhérents certifiés")
    assert list(map(shown_number, table["Adhérents certifiés"])) == certified.members.tolist()
    schemes = q(built_db, "quality_schemes")
    assert all(s in b.body[0] for s in schemes.scheme)


def test_the_programme_figures_are_the_published_ones(built_db):
    programme = q(built_db, "published_figures_by_theme", theme="social_utility", territory="FR", year=YEAR)
    pilot = q(built_db, "published_figures_by_theme", theme="research_innovation", territory="FR", year=YEAR + 1)
    pilot = pilot[pilot.indicator.str.startswith("ust_")]
    expected = [fmt.with_unit(v, u) for v, u in zip([*programme.value, *pilot.value], [*programme.unit, *pilot.unit])]
    b = build(built_db, cb.programme_figures, "dep-31")
    assert b.data.Valeur.tolist() == expected and len(pilot) > 0
    assert "Chiffre publié pour la France entière seulement" in b.national_only
    table = page_table(run_page("pages/5_utilite_sociale.py"), "Indicateur", "Valeur", "Année", "Source")
    assert table.Valeur.tolist() == expected


@pytest.mark.parametrize("territory", ["FR", "fed-midi-pyrenees", "dep-31"])
def test_the_synthesis_enterprises_are_the_database_on_both_pages(built_db, territory):
    enterprises = q(built_db, "social_utility_enterprises", territory=territory)
    b = build(built_db, cb.synthesis_enterprises, territory)
    assert b.data["ETP"].tolist() == enterprises.fte.tolist()
    assert b.data["Chiffre d'affaires (€)"].tolist() == enterprises.turnover_eur.tolist()
    territoire = None if territory == "FR" else territory
    for path, section in (("pages/5_utilite_sociale.py", None), ("pages/6_mon_territoire.py", "Chiffres et projets")):
        at = run_page(path, territoire, section)
        if enterprises.empty:
            count = len(q(built_db, "social_utility_enterprises", territory="FR"))
            assert f"Aucune des {count} entreprises de la synthèse n'est située dans « " in markdown(at)
            continue
        table = page_table(at, "Entreprise", "ETP")
        assert dict(zip(table.Entreprise, map(shown_number, table.ETP))) == dict(zip(enterprises.name,
                                                                                      enterprises.fte))


@pytest.mark.parametrize("territory", ["FR", "fed-midi-pyrenees", "dep-31"])
def test_a_territory_profile_is_the_register_and_the_population(built_db, territory):
    profile = q(built_db, "territory_profile", territory=territory, year=YEAR).iloc[0]
    population = q(built_db, "population_of_territory", territory=territory).iloc[0]
    expected = [profile.members, profile.certified, profile.departements, population.population]
    b = build(built_db, cb.territory_profile, territory)
    assert b.data.value.tolist() == expected
    assert population.source_short in b.sources and b.demo == (profile.demo_members > 0)
    tiles = metrics(run_page("pages/6_mon_territoire.py", None if territory == "FR" else territory))
    shown = [tiles[label] for label in ("Adhérents", "Adhérents certifiés", "Départements couverts",
                                        f"Habitants ({population.vintage})")]
    assert shown == [fmt.number(v) for v in expected]
    if territory == "fed-midi-pyrenees":
        assert shown[:2] == ["41", "18"]


def test_a_territory_published_figures_are_the_database(built_db):
    figures = q(built_db, "territory_figures", territory="dep-31", year=YEAR)
    b = build(built_db, cb.territory_figures, "dep-31")
    assert b.data.Valeur.tolist() == [fmt.with_unit(v, u) for v, u in zip(figures.value, figures.unit)] != []
    assert not build(built_db, cb.territory_figures).data.shape[0]  # France: its figures are the national ones
    assert build(built_db, cb.territory_figures).body[0].startswith("Les documents ne publient aucun chiffre")


@pytest.mark.parametrize("territory", ["fed-la-reunion-mayotte", "dep-79"])
def test_my_territory_lists_its_own_projects_first_and_the_national_ones_under_their_own_title(built_db, territory):
    """The cards of Innovation: the territory's own projects, then the national ones under their own title."""
    projects = q(built_db, "innovation_projects", territory=territory, axis=0)
    own, national = projects[~projects.is_national], projects[projects.is_national]
    assert len(national) >= 1
    at = run_page("pages/6_mon_territoire.py", territory, "Chiffres et projets")
    name = q(built_db, "territory_list").set_index("territory_id").name[territory]
    titles = [h.value for h in at.subheader]
    assert titles.index(f"Les projets de « {name} »") < titles.index("Les projets nationaux, pour tout le réseau")
    cards = [h for h in headings(at) if h in set(projects.name)]
    assert cards == own.name.tolist() + national.name.tolist()
    if own.empty:
        assert "Aucun projet présenté pour ce territoire dans les documents." in [c.value for c in at.caption]
    else:
        assert territory == "dep-79" and len(own) == 2


def test_the_presentation_offers_every_content_block(built_db):
    con = db.connect(built_db)
    try:
        for territory in ("FR", "fed-midi-pyrenees"):
            offered = {s.id: s for s in slides.build_slides(con, territory, YEAR)}
            assert set(cb.PAGE_BLOCKS) <= set(offered), set(cb.PAGE_BLOCKS) - set(offered)
            assert not any(offered[i].default for i in cb.PAGE_BLOCKS)  # offered, not in the default deck
    finally:
        con.close()
