"""The quality blocks: certified enterprises by label, the CEDRE engagements, the year's new certified.

Same contract as observatoire.blocks (which exposes these functions too): (con, territory, year) in, a plain
Block out, sources from the database.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatoire import fmt, measures, tables, years
from observatoire.block import DEMO_NOTE, Block, Chart, Where, make
from observatoire.charts import SCHEME_COLOURS
from observatoire.population import PER

# The CEDRE engagement shares are published for this federation only.
ENGAGEMENTS_TERRITORY = "fed-midi-pyrenees"


def _latest_year(df: pd.DataFrame, fallback: int) -> int:
    return int(df.year.max()) if len(df) else fallback


def _geo_credit() -> str:
    from observatoire.maps import GEO_CREDIT  # geopandas is heavy: loaded only for the map blocks

    return GEO_CREDIT


def cedre(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Certified enterprises by label: published nationally, counted in the register elsewhere; the year's facts."""
    w = Where(con, territory, year)
    facts = [("cedre_new_certified", "nouvelles certifications CEDRE en {y}"),
             ("cedre_renewals", "certifications CEDRE renouvelées en {y}"),
             ("iso_new_certified", "nouveaux certifiés CEDRE ISO 9001 (décembre {y})")]
    body, short, full = [], [], []
    for indicator, text in facts:
        row = w.series("cedre", indicator)
        if not row.empty:
            body.append(f"{fmt.number(row.value.iloc[0])} {text.format(y=int(row.year.iloc[0]))}"
                        + ("" if w.national else " (France entière)"))
            short, full = short + list(row.source_short), full + list(row.source)
    pair, note = None, ""
    if w.national:
        schemes = w.series("cedre", "certified_by_scheme")
        data = pd.DataFrame({"scheme": schemes.category_label, "members": schemes.value})
        title = (f"Qualité CEDRE : {fmt.number(data.members.sum())} entreprises certifiées, "
                 f"{_latest_year(schemes, w.year)}")
        short, full, demo = list(schemes.source_short) + short, list(schemes.source) + full, False
        earlier = years.before(w, "cedre", "certified_by_scheme", schemes)
        pair = years.pair(schemes, earlier, label="Label")  # the year before, side by side
        if pair is not None:
            title += (f" ({years.change(data.members.sum(), earlier.value.sum(), 'nombre')} depuis "
                      f"{pair.years[0]})")
            short, full = short + list(earlier.source_short), full + list(earlier.source)
        elif len(schemes):
            note = years.single_year(_latest_year(schemes, w.year))
    else:
        schemes = w.q("certified_by_scheme", territory=w.territory, year=w.year)
        data = pd.DataFrame({"scheme": schemes.scheme, "members": schemes.members.astype(float)})
        title = f"Qualité CEDRE : {fmt.number(data.members.sum())} adhérents certifiés — {w.name}, {w.year}"
        demo = int(schemes.demo_members.sum()) > 0
        short, full = [w.register()] + short, [w.register()] + full
    if data.members.sum() == 0:
        body.insert(0, f"Aucun adhérent certifié dans le registre pour « {w.name} » en {w.year}.")
    if pair is not None:
        return make("cedre", title, "chart", short, full, data=pair.data, chart=pair.chart("bar", "nombre"),
                    body=tuple(body), subtitle=pair.subtitle("Entreprises certifiées par label"), scope=w.name,
                    table=pair.table)
    return make(
        "cedre", title, "chart", short, full, [DEMO_NOTE if demo else ""], data=data.reset_index(drop=True),
        chart=None if data.members.sum() == 0 else Chart(
            "doughnut", "scheme", ("members",), series_names=("Entreprises certifiées",),
            series_colours=SCHEME_COLOURS),
        body=tuple(body), demo=demo, subtitle="Entreprises certifiées par label", scope=w.name,
        table=pd.DataFrame({"Label": data.scheme, "Entreprises certifiées": data.members}), years_note=note,
    )


def cedre_engagements(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block | None:
    """The CEDRE engagement shares: the territory's own, or the only federation that publishes them."""
    w = Where(con, territory, year)
    shares = w.series("cedre", "engagement_share", territory=w.territory)
    own = not shares.empty
    if not own:
        shares = w.series("cedre", "engagement_share", territory=ENGAGEMENTS_TERRITORY)
    if shares.empty:
        return None
    where = w.name if own else str(w.q("territory_list").set_index("territory_id").name[ENGAGEMENTS_TERRITORY])
    notice = "" if own else f"Publié pour {where} seulement : pas pour « {w.name} »."
    return make(
        "cedre-engagements", f"Les engagements CEDRE de l'accompagnement — {where}, {_latest_year(shares, w.year)}",
        "chart", shares.source_short, shares.source, data=shares[["category_label", "value"]].reset_index(drop=True),
        chart=Chart("bar", "category_label", ("value",), unit="%", series_names=("Part des engagements",)),
        caption=notice, national_only=notice, scope=f"{where} (seul territoire publié)",
        subtitle="Répartition des engagements réciproques de l'accompagnement socio-professionnel",
        default=own, table=tables.figures_table(shares),
    )


def new_certified_map(con: duckdb.DuckDBPyConnection, territory: str, year: int, measure: str = "count") -> Block:
    """The new CEDRE ISO 9001 certified enterprises of the year, by federation, on a map.

    The report names the federations that had some; when they add up to the published total, every other
    federation had none and shows 0 (not « Pas de donnée »). measure (observatoire.measures.ISO_MEASURES): the
    count, per 100 000 inhabitants (INSEE) or as a share of the federation's members in the register (flagged
    when demonstration rows feed it), on a classed colour scale; the table carries the count, population and rate.
    """
    w = Where(con, territory, year)
    m = measures.ISO_MEASURES[measure]
    new = w.series("cedre", "iso_new_by_federation").rename(columns={"category": "territory_id"})
    total = w.series("cedre", "iso_new_certified")
    names = w.q("territory_list").set_index("territory_id").name
    shown_year = _latest_year(new, w.year)
    data, body = _named_and_zero(w, new, total, names)
    register = w.q("members_by_subterritory", territory="FR", level="federation", year=shown_year)
    data = data.merge(register[["territory_id", "members", "population"]], on="territory_id", how="left")
    data = data.assign(rate=measures.per_inhabitants(data.new, data.population),
                       member_share=measures.share_of(data.new, data.members))
    data = data.sort_values([m.column, "name"], ascending=[False, True], na_position="last").reset_index(drop=True)
    credit = _geo_credit()
    short = list(new.source_short) + list(total.source_short)
    full = list(new.source) + list(total.source)
    demo = False
    if measure == "rate":
        population = w.q("population_of_territory", territory="FR")
        short, full = short + list(population.source_short), full + list(population.source)
    elif measure == "member_share":
        short, full = short + [w.register("FR")], full + [w.register("FR")]
        demo = int(register.demo_members.sum()) > 0
    body = body + _without_value(data, m)
    edges, labels = measures.zero_classes(data[m.column], m)
    ranked = data[data[m.column] > 0]
    return make(
        "cedre-iso-carte" + measures.ISO_SUFFIX[measure], f"{ISO_TITLES[measure]} par COORACE régional, décembre "
        f"{shown_year}", "map", short, full + [credit], [DEMO_NOTE if demo else ""], data=data, body=body,
        subtitle=measures.ZERO_SENTENCE, demo=demo,
        chart=Chart("map", "name", (m.column,), unit=m.unit, series_names=(m.name,), level="federation",
                    classes=edges, class_labels=labels, class_method=measures.ZERO_METHOD),
        side=pd.DataFrame({"label": ranked.name.str.removeprefix("COORACE "),
                           "value": ranked[m.column].round(m.decimals)}).head(6),
        side_title="Nouveaux certifiés" if measure == "count" else "Les plus élevés",
        caption=w.national_only(), default=False, credit=credit, scope="France entière",
        table=_iso_table(data, measure),
    )


RATE_HEADER = f"Nouveaux certifiés pour {fmt.number(PER)} habitants"  # the rate's column in the map's table
ISO_TITLES = {"count": "Nouveaux certifiés CEDRE ISO 9001",
              "rate": f"Nouveaux certifiés CEDRE ISO 9001 pour {fmt.number(PER)} habitants",
              "member_share": "Nouveaux certifiés CEDRE ISO 9001 en part des adhérents"}


def _named_and_zero(w: Where, new: pd.DataFrame, total: pd.DataFrame, names: pd.Series) -> tuple[pd.DataFrame, tuple]:
    """The named federations' counts, plus 0 for every other one when the named add up to the published total."""
    data = pd.DataFrame({"territory_id": new.territory_id, "name": new.territory_id.map(names),
                         "new": new.value.astype(float)})
    if not (len(new) and len(total) and float(new.value.sum()) == float(total.value.iloc[0])):
        return data, ()
    federations = w.q("territory_list")
    others = federations[(federations.level == "federation") & ~federations.territory_id.isin(new.territory_id)]
    data = pd.concat([data, pd.DataFrame({"territory_id": others.territory_id, "name": others.name, "new": 0.0})],
                     ignore_index=True)
    return data, (f"Les {fmt.number(len(new))} COORACE régionaux nommés totalisent les "
                  f"{fmt.number(total.value.iloc[0])} nouveaux certifiés publiés : les autres n'en ont aucun.",)


def _without_value(data: pd.DataFrame, m: measures.Measure) -> tuple[str, ...]:
    """Says which federations have a count but no rate or share (population or members unknown)."""
    missing = data[data.new.notna() & data[m.column].isna()]
    if missing.empty:
        return ()
    why = "population inconnue pour un département entier" if m.column == "rate" else "aucun adhérent au registre"
    return (f"Pas de valeur pour {', '.join(missing.name)} ({why}) : « Pas de donnée » sur la carte.",)


def _iso_table(data: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The map as a table: count, population and rate; the members and the share with the share only."""
    columns = {"name": "COORACE régional", "new": "Nouveaux certifiés", "population": "Population (INSEE)",
               "rate": RATE_HEADER}
    if measure == "member_share":
        columns |= {"members": "Adhérents (registre)", "member_share": "Part des adhérents (%)"}
    return data[list(columns)].round({"rate": 2, "member_share": 1}).rename(columns=columns)


def new_certified(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The enterprises first certified in the year, as the documents name them (no demonstration row)."""
    w = Where(con, territory, year)
    named = w.q("new_certified_members", territory=w.territory, year=w.year)
    named = named[~named.is_demo.astype(bool)]
    iso, cedre_new = w.series("cedre", "iso_new_certified"), w.series("cedre", "cedre_new_certified")
    body = ()
    if not cedre_new.empty and int(cedre_new.year.iloc[0]) == w.year:
        body = (f"Les {fmt.number(cedre_new.value.iloc[0])} nouveaux certifiés CEDRE de {w.year} ne sont pas "
                "nommés dans le rapport.",)
    return make(
        "nouveaux-certifies", f"Les entreprises certifiées en {w.year} — {w.name}", "table",
        list(iso.source_short) or [w.register()], list(iso.source) or [w.register()], body=body, scope=w.name,
        data=named[["name", "scheme", "federation"]].rename(
            columns={"name": "Entreprise", "scheme": "Certification", "federation": "COORACE régional"}),
        download="nouveaux-certifies",
    )


