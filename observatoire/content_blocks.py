"""Blocks of the pages' lists and tables: the year in brief, the members list, the federations' teams, the CEDRE
objective, certified members by label, the evaluation programme, the synthesis enterprises, a territory's published
figures and its innovation projects.

Same contract as observatoire.blocks: (con, territory, year) in, a plain Block out, texts and sources from the
database; no Streamlit. The pages draw them with observatoire.show and the presentation offers them (PAGE_BLOCKS).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatoire import fmt, tables
from observatoire.block import DEMO_NOTE, Block, Where, make

# The members list's columns under their French headers; imputed values carry « (estimé) » in their cell.
MEMBER_COLUMNS = {"name": "Nom", "type_label": "Type", "commune": "Commune", "departement": "Département",
                  "federation": "COORACE régional", "label_scheme": "Label qualité", "label_year": "Année du label",
                  "location": "Localisation", "is_demo": "Démonstration", "source": "Source"}
MEMBER_SEARCHED = ["name", "type_label", "commune", "departement", "federation"]
TEAM_COLUMNS = {"federation": "COORACE régional", "person": "Nom", "role": "Fonction", "note": "Remarque"}
ENTERPRISE_COLUMNS = {"name": "Entreprise", "type_label": "Type", "place": "Localisation",
                      "federation": "COORACE régional", "creation_year": "Création", "fte": "ETP",
                      "turnover_eur": "Chiffre d'affaires (€)", "certification": "Label"}


def year_in_brief(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The year's key facts a board member asks for (query key_facts) as tiles, each with its year and source."""
    w = Where(con, territory, year)
    facts = w.q("key_facts", year=w.year)
    data = pd.DataFrame({"label": facts.fact, "value": facts.value, "unit": facts.unit,
                         "caption": [str(int(y)) for y in facts.year.tolist()], "source": facts.source_short})
    return make("annee-en-bref", f"L'année en bref, {w.year}", "kpis", facts.source_short, facts.source_short,
                data=data, scope="France entière", national_only=w.national_only(), download="annee-en-bref")


def _readable(listed: pd.DataFrame) -> pd.DataFrame:
    """The list's years and yes/no as words, so that a slide prints them as the page does (2014, oui)."""
    years = [None if pd.isna(y) else str(int(y)) for y in listed["Année du label"].tolist()]
    return listed.assign(**{"Année du label": years,
                            "Démonstration": [fmt.yes_no(v) for v in listed["Démonstration"].tolist()]})


def members_list(con: duckdb.DuckDBPyConnection, territory: str, year: int, search: str = "") -> Block:
    """The territory's members (those matching `search`: every word in a name, commune, département, type or
    federation), values the source does not give marked « (estimé) » in their cell, with the legend."""
    w = Where(con, territory, year)
    members = w.q("members_list", territory=w.territory, year=w.year)
    found = tables.search(members, search, MEMBER_SEARCHED)
    named, estimated = int((~members.is_demo).sum()), int(members.estimated.notna().sum())
    demo = bool(members.is_demo.any())
    body = [(f"Démonstration « oui » : ligne fictive. Les autres adhérents ({named}) sont nommés" if demo else
             "Les adhérents sont nommés") + " par la source de leur ligne (document publié ou fichier importé)."]
    if estimated:
        body.append(f"« (estimé) » : valeur que la source ne donne pas, complétée par la construction de la base pour "
                    f"{estimated} adhérent(s) nommé(s) (type de structure ; département quand la source ne nomme que "
                    "la région ; COORACE régional).")
    register = w.register()
    return make(
        "liste-adherents", f"Liste des adhérents — {w.name}", "table", [register],
        [register, *members.source], [DEMO_NOTE if demo else ""], data=_readable(tables.pick(found, MEMBER_COLUMNS)),
        subtitle=f"{len(found)} adhérent(s) affiché(s) sur {len(members)}.", body=tuple(body), demo=demo,
        scope=w.name, download="adherents",
    )


def federation_teams(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The teams of the regional federations covering the territory (all of them for France), as the report lists."""
    w = Where(con, territory, year)
    teams = w.q("federation_teams", federation="")
    if not w.national:
        teams = teams[teams.federation_id.isin(w.q("federations_of_territory", territory=w.territory).federation_id)]
    body = () if len(teams) else (f"Aucun COORACE régional ne couvre « {w.name} ».",)
    sources = teams.source_short if len(teams) else w.q("federation_teams", federation="").source_short
    return make(
        "equipes-coorace-regionaux", f"Les COORACE régionaux et leurs équipes — {w.name}", "table", sources, sources,
        data=tables.pick(teams, TEAM_COLUMNS).reset_index(drop=True),
        subtitle=f"{len(teams)} personne(s) dans {teams.federation_id.nunique()} COORACE régional(aux).",
        body=body, scope=w.name, download="equipes-coorace-regionaux",
    )


def iso_objective(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block | None:
    """Next year's published objective of new CEDRE ISO 9001 certifications beside those the register records for
    that year (None when no objective is published)."""
    w = Where(con, territory, year)
    objective = w.series("cedre", "iso_new_objective", year=w.year + 1)
    if objective.empty:
        return None
    target, goal_year = float(objective.value.iloc[0]), int(objective.year.iloc[0])
    done = int(w.q("certifications_in_year", territory="FR", scheme="CEDRE ISO 9001",
                   year=goal_year).certifications.iloc[0])
    register = w.register("FR")
    share = 100 * done / target if target else None
    data = pd.DataFrame([
        {"label": f"Objectif {goal_year} : nouveaux ISO 9001", "value": target, "unit": "nombre",
         "caption": f"objectif publié · {goal_year}", "source": objective.source_short.iloc[0]},
        {"label": f"Certifiés ISO 9001 en {goal_year}", "value": float(done), "unit": "nombre",
         "caption": "enregistrés dans le registre", "source": register},
        {"label": "Progression", "value": share, "unit": "%", "caption": "de l'objectif atteint", "source": register},
    ])
    return make(
        "cedre-objectif", f"Objectif {goal_year} : nouveaux certifiés CEDRE ISO 9001", "kpis",
        [objective.source_short.iloc[0], register], [objective.source.iloc[0], register], data=data,
        body=(f"Progression mesurée dans le registre : {done} certification(s) {goal_year} enregistrée(s)"
              + (" — aucune donnée de l'année n'a encore été importée." if done == 0 else "."),),
        scope="France entière", national_only=w.national_only(),
    )


def certified_by_label(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Certified members of the register by quality label (latest label up to the year), and the labels followed."""
    w = Where(con, territory, year)
    certified = w.q("certified_by_scheme", territory=w.territory, year=w.year)
    schemes = w.q("quality_schemes")
    demo = int(certified.demo_members.sum()) > 0
    register = w.register()
    return make(
        "adherents-certifies-label", f"Adhérents certifiés par label — {w.name}, {w.year}", "table", [register],
        [register], [DEMO_NOTE if demo else ""], demo=demo, scope=w.name,
        data=tables.pick(certified, {"scheme": "Label", "members": "Adhérents certifiés",
                                     "demo_members": "dont lignes de démonstration"}),
        body=("Labels suivis : " + " ; ".join(f"{s} ({d})" for s, d in zip(schemes.scheme, schemes.description)),),
    )


def programme_figures(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The social-utility evaluation programme in figures, with next year's published pilot (ust_ indicators)."""
    w = Where(con, territory, year)
    programme = w.q("published_figures_by_theme", theme="social_utility", territory="FR", year=w.year)
    pilot = w.q("published_figures_by_theme", theme="research_innovation", territory="FR", year=w.year + 1)
    rows = pd.concat([programme, pilot[pilot.indicator.str.startswith("ust_")]], ignore_index=True)
    return make(
        "programme-utilite-sociale", "Le programme d'évaluation de l'utilité sociale en chiffres", "table",
        rows.source_short, rows.source, data=tables.figures_table(rows), scope="France entière",
        national_only=w.national_only(), download="programme-utilite-sociale",
    )


def synthesis_enterprises(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The enterprises of the social-utility synthesis in the territory, as the synthesis describes them."""
    w = Where(con, territory, year)
    enterprises = w.q("social_utility_enterprises", territory=w.territory)
    body, cited = (), enterprises.source
    if enterprises.empty:
        cited = w.q("social_utility_enterprises", territory="FR").source
        body = (f"Aucune des {len(cited)} entreprises de la synthèse n'est située dans « {w.name} ».",)
    sections = [" — ".join(s.split(" — ")[:2]) for s in cited]  # document — section
    return make(
        "entreprises-synthese", f"Les entreprises de la synthèse « utilité sociale » — {w.name}", "table",
        sections, cited, data=tables.pick(enterprises, ENTERPRISE_COLUMNS), body=body, scope=w.name,
        download="entreprises-utilite-sociale",
    )


def territory_profile(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The territory at a glance: members and certified members in the register, départements covered, inhabitants."""
    w = Where(con, territory, year)
    profile = w.q("territory_profile", territory=w.territory, year=w.year).iloc[0]
    population = w.q("population_of_territory", territory=w.territory).iloc[0]
    register = w.register()
    data = pd.DataFrame([
        {"label": "Adhérents", "value": profile.members, "caption": f"registre {w.year}", "source": register},
        {"label": "Adhérents certifiés", "value": profile.certified, "caption": "CEDRE ou CEDRE ISO 9001",
         "source": register},
        {"label": "Départements couverts", "value": profile.departements, "caption": "métropole et outre-mer"
         if w.national else "dans le territoire", "source": register},
        {"label": f"Habitants ({population.vintage})", "value": population.population,
         "caption": "population municipale, somme des communes", "source": population.source_short},
    ]).assign(unit="nombre")
    missing = int(population.communes_without_population)
    return make(
        "profil-territoire", f"{w.name} en chiffres, {w.year}", "kpis", [register, population.source_short],
        [register, population.source], [DEMO_NOTE if profile.demo_members else ""], scope=w.name,
        data=data[["label", "value", "unit", "caption", "source"]], demo=bool(profile.demo_members),
        subtitle=f"Habitants : {population.source}."
        + (f" {fmt.number(missing)} commune(s) sur {fmt.number(population.communes)} sans population dans "
           "cette source, non comptée(s)." if missing else ""),
    )


def territory_figures(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Figures published for the territory itself, a territory it contains or one that contains it."""
    w = Where(con, territory, year)
    figures = w.q("territory_figures", territory=w.territory, year=w.year)
    body = () if len(figures) else ("Les documents ne publient aucun chiffre propre à ce territoire : seuls les "
                                    "chiffres nationaux existent (voir la Vue d'ensemble).",)
    sources = figures.source_short if len(figures) else w.q("source_documents").short_title  # what they say nothing of
    return make(
        "chiffres-territoire", f"Chiffres publiés pour « {w.name} »", "table", sources, sources,
        data=tables.territory_figures_table(figures), body=body, scope=w.name,
        download="chiffres-publies-territoire",
    )


# Every block of this module as a function of (con, territory, year), by block id (the presentation offers them).
PAGE_BLOCKS = {
    "annee-en-bref": year_in_brief, "liste-adherents": members_list,
    "equipes-coorace-regionaux": federation_teams, "cedre-objectif": iso_objective,
    "adherents-certifies-label": certified_by_label, "programme-utilite-sociale": programme_figures,
    "entreprises-synthese": synthesis_enterprises, "profil-territoire": territory_profile,
    "chiffres-territoire": territory_figures,
}

