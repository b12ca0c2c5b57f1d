"""Blocks of the federation's own life: every published figure of a theme, the national bodies, the training offers,
and tiles of chosen published figures (workforce, governance, training).

Plain data like observatoire.blocks: no Streamlit. These figures are published for France only: for another
territory each block carries the « national only » notice.
"""

from __future__ import annotations

from functools import partial

import duckdb
import pandas as pd

from observatoire import fmt, tables
from observatoire.block import Block, Where, make

# Tiles of published figures: block id -> (title, ((theme, indicator, category, short label, detail), ...));
# a label None is the category's label in the database.
# Labels stay short (a tile's label is cut beyond about 30 characters); the detail goes under the value.
TILES = {
    "emploi-reseau": ("L'emploi dans les entreprises du réseau", (
        ("network_economy", "employees_total", "", "Salarié·es au total", "dans les entreprises du réseau"),
        ("network_economy", "employees_in_integration", "", "Salarié·es en parcours", "d'insertion"),
        ("network_economy", "permanent_employees", "", "Salarié·es permanent·es", ""),
        ("network_economy", "home_care_workers", "", "Intervenant·es à domicile", ""),
        ("network_economy", "supervisors", "", "Encadrant·es", ""),
        ("network_economy", "turnover_total", "", "Chiffre d'affaires HT", "cumulé, des entreprises du réseau"),
    )),
    "instances": ("Les instances nationales et leurs réunions", (
        ("governance", "governance_body_members", "conseil_administration", "Administrateur·rices",
         "membres du conseil d'administration"),
        ("governance", "governance_body_members", "bureau", "Membres du bureau", ""),
        ("governance", "governance_meetings", "conseil_administration", "Réunions du conseil",
         "conseil d'administration"),
        ("governance", "governance_meetings", "bureau", "Réunions du bureau", ""),
        ("governance", "governance_meetings", "assemblee_generale_ordinaire", "AG ordinaires",
         "assemblées générales ordinaires"),
        ("governance", "governance_meetings", "assemblee_generale_extraordinaire", "AG extraordinaires",
         "assemblées générales extraordinaires"),
    )),
    "qualite-chiffres": ("Entreprises certifiées et certifications de l'année", (
        ("cedre", "certified_total", "", "Certifiées (total)", "CEDRE et CEDRE ISO 9001"),
        ("cedre", "certified_by_scheme", "CEDRE", None, "entreprises certifiées"),
        ("cedre", "certified_by_scheme", "CEDRE_ISO_9001", None, "entreprises certifiées"),
        ("cedre", "iso_new_certified", "", "Nouveaux ISO 9001", "décembre"),
        ("cedre", "cedre_new_certified", "", "Nouveaux CEDRE", ""),
        ("cedre", "cedre_renewals", "", "CEDRE renouvelés", ""),
    )),
    "formation": ("COORACE Formation", (
        ("training", "trainees", "", "Stagiaires formé·es", ""),
        ("training", "training_sessions", "", "Sessions de formation", ""),
        ("training", "training_hours", "", "Heures de formation", "dispensées"),
        ("training", "solidarity_funds_trainees", "", "Salarié·es en parcours formé·es",
         "grâce aux fonds mutualisés solidaires"),
        ("training", "solidarity_funds_enterprises", "", "Entreprises bénéficiaires",
         "des fonds mutualisés solidaires"),
        ("training", "priority_training_beneficiaries", "", "Permanent·es et bénévoles",
         "formé·es (formations prioritaires financées à 100 %)"),
    )),
}


def tiles(con: duckdb.DuckDBPyConnection, territory: str, year: int, block_id: str) -> Block:
    """KPI tiles of chosen national published figures (latest year up to the reference year), each with its source."""
    w = Where(con, territory, year)
    title, wanted = TILES[block_id]
    rows = []
    for theme, indicator, category, label, detail in wanted:
        series = w.series(theme, indicator)
        series = series[series.category == category]
        if len(series):
            r = series.iloc[0]
            detail = "non disponible dans la source" if pd.isna(r.value) else detail
            rows.append({"label": label or r.category_label, "value": r.value, "unit": r.unit, "source": r.source_short,
                         "caption": " · ".join(x for x in (detail, str(int(r.year))) if x),
                         "source_full": r.source, "note": r.note})
    data = pd.DataFrame(rows, columns=["label", "value", "unit", "caption", "source", "source_full", "note"])
    return make(block_id, f"{title}, {w.year}", "kpis", data.source, data.source_full,
                [n for n in data.note if isinstance(n, str)],
                data=data[["label", "value", "unit", "caption", "source"]], scope="France entière",
                national_only=w.national_only(), default=False)


def theme_figures(con: duckdb.DuckDBPyConnection, territory: str, year: int, theme: str) -> Block:
    """Every figure of one theme published up to the year, as a table: the territory's own first, then national."""
    w = Where(con, territory, year)
    label = str(w.q("theme_label", theme=theme).label.iloc[0])
    rows = w.q("theme_figures", theme=theme, territory=w.territory, year=w.year)
    table = tables.figures_table(rows)
    if not w.national:
        table.insert(3, "Publié pour", ["France entière" if n else name
                                        for n, name in zip(rows.is_national.tolist(), rows.territory_name.tolist())])
    national = bool(len(rows)) and bool(rows.is_national.all()) and not w.national
    block_id = f"chiffres-{theme.replace('_', '-')}"
    return make(
        block_id, f"{label} : tous les chiffres publiés{w.where()}", "table", rows.source_short, rows.source,
        data=table, scope="France entière" if national or w.national else w.name,
        national_only=w.national_only() if national else "", default=False,
        body=() if len(rows) else (f"Aucun chiffre publié jusqu'en {w.year}.",), download=block_id,
    )


def governance_bodies(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The members of the national bureau and board, as the report lists them."""
    w = Where(con, territory, year)
    people = w.q("governance_members")
    return make(
        "membres-instances", "Le bureau et le conseil d'administration nationaux", "table", people.source_short,
        people.source, scope="France entière", national_only=w.national_only(), default=False,
        data=tables.pick(people, {"body_label": "Instance", "person": "Nom", "role": "Fonction",
                                  "college": "Collège", "represents": "Représente"}),
    )


def training_offers(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """COORACE Formation's offers: duration and prices for members and non-members."""
    w = Where(con, territory, year)
    offers = w.q("training_offers_list")
    table = pd.DataFrame({
        "Formation": offers.title, "Domaine": offers.domain, "Durée": offers.duration_text,
        "Heures": [fmt.with_unit(v, "heures") for v in offers.hours.tolist()],
        "Prix adhérent": [fmt.with_unit(v, "€") for v in offers.price_member_eur.tolist()],
        "Prix non-adhérent": [fmt.with_unit(v, "€") for v in offers.price_non_member_eur.tolist()],
        "Groupe": offers.trainees, "Formateur·rices": offers.trainers,
    })
    return make("offres-formation", "Les offres de formation de COORACE Formation", "table", offers.source_short,
                offers.source, data=table, scope="France entière", national_only=w.national_only(), default=False)


def themes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every theme of published figures, in the themes table's order."""
    return list(Where(con, "FR", 2000).q("themes_list").theme)


# Every block of this module as a function of (con, territory, year), by block id.
PAGE_BLOCKS = {
    **{block_id: partial(tiles, block_id=block_id) for block_id in TILES},
    "membres-instances": governance_bodies, "offres-formation": training_offers,
}
