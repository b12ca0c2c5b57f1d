"""Blocks of places: the innovation projects, the enterprises of the social-utility synthesis, the members' points.

Same contract as observatoire.blocks (which exposes these functions too): (con, territory, year) in, a plain
Block out, sources from the database.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatoire import fmt, tables
from observatoire.block import Block, Chart, Where, make

PRECISION = {"commune": "commune", "departement": "département (approximatif)", "region": "région (approximatif)"}


def _credit() -> str:
    from observatoire.maps import GEO_CREDIT  # geopandas is heavy: loaded only for the maps

    return GEO_CREDIT


def _document(sources: pd.Series) -> list[str]:
    """The documents a list of full sources (« document — section — « text » ») cites."""
    return [s.split(" — ")[0] for s in sources]


def projects(con: duckdb.DuckDBPyConnection, territory: str, year: int, axis: int = 0) -> list[Block]:
    """One block per innovation project of the territory: summary, place, axis, carrier and result figures."""
    w = Where(con, territory, year)
    out = []
    for p in w.q("innovation_projects", territory=w.territory, axis=axis).itertuples():
        results = w.q("project_results", project=p.project_id)
        carrier = f"Porté par {p.carrier}" if p.carrier else ""
        out.append(make(
            f"projet-{p.project_id}", p.name, "project", _document([p.source]), [p.source] + list(results.source),
            subtitle=" · ".join(x for x in (p.place, f"Axe : {p.axis}" if p.axis else "", carrier) if x),
            data=results[["label", "value", "unit", "year"]].reset_index(drop=True), body=(p.summary,),
            caption="Innovation : projet présenté dans le rapport d'activité",
            scope="France entière" if p.is_national else w.name,
            national_only=f"Projet national : il concerne tout le réseau, pas seulement « {w.name} »."
            if p.is_national and not w.national else "",
            table=tables.figures_table(results.assign(category_label="", source_short="")).drop(columns=["Source"]),
        ))
    return out


def projects_map(con: duckdb.DuckDBPyConnection, territory: str, year: int, axis: int = 0) -> Block | None:
    """Where the territory's innovation projects are (None when none is located)."""
    w = Where(con, territory, year)
    found = w.q("innovation_projects", territory=w.territory, axis=axis)
    located = found[found.lon.notna()]
    if located.empty:
        return None
    return make(
        "carte-projets", f"Les projets d'innovation — {w.name}", "map", _document(found.source), found.source,
        data=located.assign(precision=located.location_precision.map(PRECISION))[
            ["name", "place", "axis", "precision", "lon", "lat", "dep_code"]].reset_index(drop=True),
        chart=Chart("points", "name", (), colour_col="axis",
                    hover="<b>{name}</b><br/>{place}<br/>Axe : {axis}<br/>Localisation : {precision}"),
        credit=_credit(), scope=w.name, download="projets-innovation",
        table=found[["name", "carrier", "place", "axis"]].rename(
            columns={"name": "Projet", "carrier": "Porteur", "place": "Lieu", "axis": "Axe"}),
    )


def _enterprises(w: Where) -> pd.DataFrame:
    return w.q("social_utility_enterprises", territory=w.territory)


def _enterprise_block(w: Where, block_id: str, title: str, df: pd.DataFrame, value: str, unit: str,
                      column: str) -> Block:
    return make(block_id, title, "chart", _document(df.source), df.source,
                data=df[["name", value]].reset_index(drop=True),
                chart=Chart("bar", "name", (value,), unit=unit, series_names=(column,)), scope=w.name,
                table=df[["name", value]].rename(columns={"name": "Entreprise", value: column}))


def enterprises_fte(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block | None:
    """Full-time equivalents of the synthesis' enterprises in the territory."""
    w = Where(con, territory, year)
    df = _enterprises(w)
    return None if df.empty else _enterprise_block(
        w, "entreprises-etp", "Effectifs (ETP) des entreprises de la synthèse", df, "fte", "ETP", "ETP")


def enterprises_turnover(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block | None:
    """Annual turnover of the synthesis' enterprises in the territory."""
    w = Where(con, territory, year)
    df = _enterprises(w)
    return None if df.empty else _enterprise_block(
        w, "entreprises-ca", "Chiffre d'affaires annuel des entreprises de la synthèse", df, "turnover_eur", "€",
        "Chiffre d'affaires (€)")


def enterprises_map(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block | None:
    """Where the synthesis' enterprises of the territory are."""
    w = Where(con, territory, year)
    df = _enterprises(w)
    if df.empty:
        return None
    return make(
        "carte-entreprises", "Où sont les entreprises de la synthèse", "map", _document(df.source), df.source,
        data=df.assign(fte_text=[fmt.with_unit(v, "ETP") for v in df.fte])[
            ["name", "place", "type_label", "fte_text", "lon", "lat", "dep_code"]].reset_index(drop=True),
        chart=Chart("points", "name", (), hover="<b>{name}</b><br/>{place}<br/>{type_label} · {fte_text}",
                    series_names=("Entreprises de la synthèse",)),
        credit=_credit(), scope=w.name, download="entreprises-utilite-sociale-carte",
        table=df[["name", "place", "federation"]].rename(
            columns={"name": "Entreprise", "place": "Localisation", "federation": "COORACE régional"}),
    )


def members_points(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Where the territory's members are, one point each, coloured by structure type."""
    w = Where(con, territory, year)
    points = w.q("members_points", territory=w.territory, year=w.year)
    register = w.register()
    return make(
        "carte-points-adherents", f"Où sont les adhérents — {w.name}, {w.year}", "map", [register], [register],
        data=points.assign(kind=points.is_demo.map({True: "démonstration", False: "adhérent nommé"}))[
            ["name", "commune", "type_label", "kind", "structure_type", "lon", "lat", "dep_code"]],
        chart=Chart("points", "name", (), colour_col="structure_type", radius=5,
                    hover="<b>{name}</b><br/>{commune}<br/>{type_label} · {kind}",
                    zoom_to=None if w.national else (w.level, w.territory)),
        demo=bool(points.is_demo.any()), credit=_credit(), scope=w.name, download="adherents-points",
        table=points[["name", "type_label", "commune", "approximate", "is_demo"]].rename(columns={
            "name": "Nom", "type_label": "Type", "commune": "Commune", "approximate": "Localisation approximative",
            "is_demo": "Démonstration"}),
    )
