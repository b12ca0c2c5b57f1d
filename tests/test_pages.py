"""Every page runs headless (AppTest) for France and two territories, and shows the
numbers of the database."""

from __future__ import annotations

import pytest
from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

from observatoire import db, fmt, ui
from observatoire.paths import ROOT

PAGES = [page.path for page in ui.DATA_PAGES]
# every view a person opens: each page, and each section of a page in sections (None: the page has none)
VIEWS = [(page.path, section) for page in ui.DATA_PAGES for section in page.sections or (None,)]
OTHER_SECTIONS = [(page.path, section) for page in ui.DATA_PAGES for section in page.sections[1:]]
TERRITORIES = [None, "fed-midi-pyrenees", "dep-31"]


def run_page(path: str, territoire: str | None = None, section: str | None = None, timeout: float = 60,
             **params: str) -> AppTest:
    """Run a page (the one helper of the AppTest suites), on the section named (?onglet=…) when given, with any
    other URL parameter (annee=…), and check the run raised nothing and that section is the one open."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if path != "app.py":
        at.switch_page(path)
    if territoire is not None:
        at.query_params["territoire"] = territoire
    if section is not None:
        at.query_params[ui.SECTION_PARAM] = section
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if section is not None:
        assert open_section(at) == section
    return at


def open_section(at: AppTest) -> str | None:
    """The label of the tab the page opened (None: a page without sections); the other tabs must be empty."""
    containers = [node for node in at if isinstance(getattr(node, "proto", None), BlockProto)
                  and node.proto.WhichOneof("type") == "tab_container"]
    if not containers:
        return None
    assert len(containers) == 1, f"{len(containers)} jeux d'onglets sur la page"
    tabs = [tab for _, tab in sorted(containers[0].children.items())]
    opened = tabs[containers[0].proto.tab_container.default_tab_index]
    assert [tab.label for tab in tabs if tab.children] == [opened.label], "seul l'onglet ouvert est dessiné"
    return opened.label


def q(built_db, name, **params):
    return db.run_query(name, params, con=db.connect(built_db))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def show_tables(at: AppTest) -> AppTest:
    """Turn on every chart's « Tableau des données » (tables are sent only when asked for)."""
    toggles = [t for t in at.toggle if str(t.key).startswith("table_")]
    assert toggles, "aucun interrupteur « Tableau des données » sur la page"
    for toggle in toggles:
        toggle.set_value(True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_number(text: str) -> float:
    """A number as a table shows it in French (1\u202f234,5) read back."""
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


# every page in three territories on its first section, each other section in one territory
@pytest.mark.parametrize(("path", "section", "territoire"),
                         [(path, None, territoire) for path in PAGES for territoire in TERRITORIES]
                         + [(path, section, "dep-31") for path, section in OTHER_SECTIONS])
def test_every_page_runs_and_keeps_the_territory(built_db, path, section, territoire):
    at = run_page(path, territoire, section)
    assert at.query_params.get("territoire") == territoire  # written back to the URL (absent for France)
    assert at.query_params.get(ui.SECTION_PARAM) == section  # and the open section, but the first one
    level = {None: "france", "fed": "federation", "dep": "departement"}[territoire and territoire[:3]]
    assert at.selectbox(key="filter_level").value == level
    assert at.selectbox(key=f"filter_territory_{level}").value == (territoire or "FR")


def test_overview_kpis_match_the_database(built_db):
    at = run_page("app.py")
    kpis = q(built_db, "key_figures", year=2014)
    assert [m.value for m in at.metric][:6] == [fmt.with_unit(r.value, r.unit) for r in kpis.itertuples()]
    shown = metrics(at)
    assert shown["Adhérents"] == "523"
    assert shown["Salarié·es en parcours d'insertion"] == fmt.number(68830)
    assert shown["Chiffre d'affaires HT cumulé"] == fmt.with_unit(308, "M€")
    assert "Rapport d'activité 2014" in captions(at) and "2013" in captions(at)


def test_overview_for_a_territory_opens_on_its_own_figures_then_the_national_ones(built_db):
    at = run_page("app.py", "fed-midi-pyrenees")
    assert any("ne sont publiés que pour la France entière" in i.value for i in at.info)
    values = [m.value for m in at.metric]
    own = q(built_db, "territory_figures", territory="fed-midi-pyrenees", year=2014)
    own = own[(own.relation == "ce territoire") & (own.category_label == "")]
    assert values[:len(own)] == [fmt.with_unit(v, u) for v, u in zip(own.value, own.unit)]  # its own first: 41, 18...
    assert values[0] == "41" and "523" in values[len(own):]
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings[0] == "#### Chiffres clés — COORACE Midi-Pyrénées, 2014"
    assert [h.value for h in at.subheader] == ["France entière"]
    assert "#### Chiffres clés du réseau, 2014" in headings[1:]


@pytest.mark.parametrize("bad", ["fed-atlantide", "'; drop table members; --", "x" * 500, "dep-999"])
def test_unknown_territory_in_the_url_falls_back_to_france_with_a_notice(built_db, bad):
    at = run_page("app.py", territoire=bad)
    warnings = " ".join(w.value for w in at.warning)
    assert "n'existe pas" in warnings and "France entière" in warnings
    assert "territoire" not in at.query_params


@pytest.mark.parametrize("territoire", TERRITORIES)
def test_members_page_counts_match_the_register(built_db, territoire):
    at = run_page("pages/1_adherents.py", territoire)  # « Carte et types »
    hidden = [list(df.value.columns) for df in at.dataframe]
    assert ["Type", "Adhérents"] not in hidden  # chart tables wait for their toggle
    at = show_tables(at)
    territory = territoire or "FR"
    by_type = q(built_db, "members_by_type", territory=territory, year=2014)
    type_table = next(df.value for df in at.dataframe if list(df.value.columns) == ["Type", "Adhérents"])
    assert dict(zip(type_table.Type, type_table["Adhérents"])) == dict(zip(by_type.type_label,
                                                                            map(fmt.number, by_type.members)))
    # demonstration rows feed the territorial split: the badge says so
    assert "données de démonstration" in markdown(at)
    at = run_page("pages/1_adherents.py", territoire, "Liste des adhérents")
    members = q(built_db, "members_list", territory=territory, year=2014)
    assert f"sur {len(members)}" in captions(at)
    if territoire == "fed-midi-pyrenees":
        assert len(members) == 41
    assert "données de démonstration" in markdown(at)


def test_members_page_national_split_is_the_published_one(built_db):
    at = show_tables(run_page("pages/1_adherents.py"))
    type_table = next(df.value for df in at.dataframe if list(df.value.columns) == ["Type", "Adhérents"])
    assert sum(map(shown_number, type_table["Adhérents"])) == 523
    assert "Répartition des adhérents par type" in captions(at)


def test_members_search_filters_the_list(built_db):
    at = run_page("pages/1_adherents.py", section="Liste des adhérents")
    at.text_input(key="members_search").input("irisse").run()
    assert "1 adhérent(s) affiché(s) sur 523" in captions(at)


@pytest.mark.parametrize("territoire", TERRITORIES)
def test_funding_page_shows_published_national_figures(built_db, territoire):
    at = show_tables(run_page("pages/2_financements.py", territoire))  # « Ressources et chiffre d'affaires »
    shown = metrics(at)
    assert shown["Ressources du COORACE national"] == fmt.with_unit(2812, "k€")
    assert shown["Chiffre d'affaires HT cumulé du réseau"] == fmt.with_unit(308, "M€")
    national_only = "Chiffre publié pour la France entière seulement"
    assert (national_only in captions(at)) == bool(territoire)
    at = show_tables(run_page("pages/2_financements.py", territoire, "Financements et secteurs"))
    mix = next(df.value for df in at.dataframe if "Ressource" in df.value.columns)
    public = mix[mix.Ressource == "Financements publics"].set_index("Type")["Part (%)"].to_dict()
    # French strings, whatever the browser's language; a code the report prints alone is spelled out
    assert public["ACI (Ateliers et Chantiers d’Insertion)"] == "67"
    assert public["AI (Associations Intermédiaires)"] == "11"
    assert (national_only in captions(at)) == bool(territoire)


@pytest.mark.parametrize("territoire", TERRITORIES)
def test_cedre_page(built_db, territoire):
    at = run_page("pages/3_qualite_cedre.py", territoire)
    shown = metrics(at)
    assert shown["Certifiées (total)"] == "120"
    assert shown["CEDRE"] == "93" and shown["CEDRE ISO 9001"] == "27"
    assert (shown["Nouveaux ISO 9001"], shown["Nouveaux CEDRE"], shown["CEDRE renouvelés"]) == ("8", "6", "7")
    # next year's published objective beside the certifications the register records for that year
    objective = q(built_db, "published_series", theme="cedre", indicator="iso_new_objective", territory="FR", year=2015)
    done = q(built_db, "certifications_in_year", territory="FR", scheme="CEDRE ISO 9001", year=2015).certifications
    assert (shown["Objectif 2015 : nouveaux ISO 9001"], shown["Certifiés ISO 9001 en 2015"]) == (
        fmt.number(objective.value.iloc[0]), fmt.number(done.iloc[0])) == ("14", "0")
    certified = q(built_db, "certified_by_scheme", territory=territoire or "FR", year=2014)
    table = next(df.value for df in at.dataframe if "Adhérents certifiés" in df.value.columns)
    assert sum(map(shown_number, table["Adhérents certifiés"])) == certified.members.sum()
    if territoire == "fed-midi-pyrenees":
        assert sum(map(shown_number, table["Adhérents certifiés"])) == 18


@pytest.mark.parametrize("territoire", TERRITORIES)
def test_innovation_page_lists_the_territory_projects(built_db, territoire):
    at = run_page("pages/4_innovation.py", territoire)
    projects = q(built_db, "innovation_projects", territory=territoire or "FR", axis=0)
    titles = [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]
    assert set(projects.name) <= set(titles)
    if territoire is None:
        assert len(projects) == 8


def test_national_projects_are_listed_as_national_not_as_local(built_db):
    at = run_page("pages/4_innovation.py", "fed-la-reunion-mayotte")
    projects = q(built_db, "innovation_projects", territory="fed-la-reunion-mayotte", axis=0)
    assert len(projects) and projects.is_national.all()  # no project of its own: only the national ones
    assert any(c.value.startswith(f"0 projet(s) dans « COORACE La Réunion - Mayotte » et {len(projects)} projet(s) "
                                  "national(aux)") for c in at.caption)
    headers = [h.value for h in at.subheader]
    assert headers == ["Les projets de « COORACE La Réunion - Mayotte »", "Les projets nationaux, pour tout le réseau"]
    assert any(c.value == "Aucun projet présenté pour ce territoire dans les documents." for c in at.caption)
    assert set(projects.place) == {"Projet national (tout le réseau)"}


def test_innovation_axis_filter(built_db):
    at = run_page("pages/4_innovation.py")
    at.segmented_control(key="innovation_axis").set_value(3).run()
    titles = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert any("AirServices" in t for t in titles) and not any("Villette" in t for t in titles)


@pytest.mark.parametrize("territoire", TERRITORIES)
def test_social_utility_page(built_db, territoire):
    at = run_page("pages/5_utilite_sociale.py", territoire)
    enterprises = q(built_db, "social_utility_enterprises", territory=territoire or "FR")
    if enterprises.empty:
        count = len(q(built_db, "social_utility_enterprises", territory="FR"))
        assert f"Aucune des {count} entreprises de la synthèse n'est située dans" in markdown(at)
        return
    table = next(df.value for df in at.dataframe if "Entreprise" in df.value.columns and "ETP" in df.value.columns)
    assert sorted(table.Entreprise) == sorted(enterprises.name)
    assert dict(zip(table.Entreprise, map(shown_number, table.ETP))) == dict(zip(enterprises.name, enterprises.fte))


@pytest.mark.parametrize("territoire", TERRITORIES)
def test_my_territory_profile(built_db, territoire):
    at = run_page("pages/6_mon_territoire.py", territoire)
    profile = q(built_db, "territory_profile", territory=territoire or "FR", year=2014).iloc[0]
    shown = metrics(at)
    assert shown["Adhérents"] == fmt.number(profile.members)
    assert shown["Adhérents certifiés"] == fmt.number(profile.certified)
    if territoire == "fed-midi-pyrenees":
        assert (shown["Adhérents"], shown["Adhérents certifiés"]) == ("41", "18")
        at = run_page("pages/6_mon_territoire.py", territoire, "Chiffres et projets")
        assert "Sylvia RICCI-RAGUENEAU" in "".join(df.value.to_csv() for df in at.dataframe)
        published = q(built_db, "territory_figures", territory=territoire, year=2014)
        table = next(df.value for df in at.dataframe if "Publié pour" in df.value.columns)
        assert list(table.columns) == ["Territoire", "Indicateur", "Catégorie", "Valeur", "Année", "Publié pour",
                                       "Source"]
        assert table.Valeur.tolist() == [fmt.with_unit(v, u) for v, u in zip(published.value, published.unit)] != []
        teams = q(built_db, "federation_teams", federation=territoire)
        assert any(c.value.startswith(f"Source : {fmt.plain(teams.source_short.iloc[0])} · ") for c in at.caption)


def test_sources_page_lists_every_figure(built_db):
    at = run_page("pages/7_sources.py")
    catalogue = q(built_db, "figures_catalogue")
    assert f"Tous les chiffres publiés ({len(catalogue)})" in markdown(at)
    table = at.dataframe[0].value
    assert len(table) == len(catalogue)
    assert table["Source (document — section — « texte original »)"].str.contains("« ").all()


@pytest.mark.parametrize("territoire", [None, "fed-midi-pyrenees"])
def test_members_page_lists_the_federation_teams_in_one_table(built_db, territoire):
    at = run_page("pages/1_adherents.py", territoire, "Équipes régionales")
    teams = next(df.value for df in at.dataframe if "Fonction" in df.value.columns)
    expected = q(built_db, "federation_teams", federation="" if territoire is None else territoire)
    assert len(teams) == len(expected) > 0
    source = f"Source : {fmt.plain(expected.source_short.iloc[0])}"  # from the database, as the query says
    federations = expected.federation_id.nunique()
    assert f"{len(teams)} personne(s) dans {federations} COORACE régional(aux)." in [c.value for c in at.caption]
    assert any(c.value.startswith(f"{source} · Périmètre") for c in at.caption)
    if territoire is None:
        assert len(teams) == 64 and teams["COORACE régional"].nunique() == 18
    else:
        assert set(teams["COORACE régional"]) == {"Midi-Pyrénées"}
