"""The dashboard's blocks: one function per chart, table or figure shown on a page, a slide or a deck.

A block function takes (con, territory, year) and returns a plain `Block`: title, data, how to
chart it, its sources (short and full, from the database), territorial scope, « national only »
notice, demonstration flag, download name. No Streamlit and no python-pptx here: the page
renderer (observatoire.show), the full-screen slide (observatoire.presentation) and the deck
writers draw the same Block, so one test compares what each shows with the database.
"""

from __future__ import annotations

from functools import partial

import duckdb
import pandas as pd

from observatoire import fmt, measures, tables, years
from observatoire.block import DEMO_NOTE, MAP_LEVEL, MAP_LEVEL_NAMES, Block, Chart, Where, make
from observatoire.charts import FUNDING_COLOURS
from observatoire.place_blocks import (  # the blocks of places, exposed here with the others
    enterprises_fte,
    enterprises_map,
    enterprises_turnover,
    members_points,
    projects,  # noqa: F401 - one block per project, blocks.projects(con, territory, year)
    projects_map,
)
from observatoire.quality_blocks import (  # the CEDRE blocks, exposed here with the others
    ENGAGEMENTS_TERRITORY,  # noqa: F401 - read by demo_sentence and the tests
    cedre,
    cedre_engagements,
    new_certified,
    new_certified_map,
)

FUNDING_SERIES = ("Financements publics", "Activité économique")
MAP_SUFFIX = {"members": "", "rate": "-taux", "certified_share": "-certifies"}  # block id of each measure's map
LABEL_MAX = 40  # longer structure-type labels are replaced by their short form in charts


def _latest_year(df: pd.DataFrame, fallback: int) -> int:
    return int(df.year.max()) if len(df) else fallback


def _years(total: pd.DataFrame, split: pd.DataFrame, fallback: int) -> tuple[int, int]:
    """The year a total-and-split block is titled with (the latest of both) and the split's own year."""
    return max(_latest_year(total, 0), _latest_year(split, 0)) or fallback, _latest_year(split, fallback)


def _amount(total: pd.DataFrame, earlier: pd.DataFrame | None = None) -> str:
    """« : 3,2 M€ » after a title, with the change since the earlier year when there is one."""
    if total.empty:
        return ""
    value, unit = total.value.iloc[0], total.unit.iloc[0]
    since = ("" if earlier is None or earlier.empty else
             f" ({years.change(value, earlier.value.iloc[0], unit)} depuis {int(earlier.year.iloc[0])})")
    return f" : {fmt.with_unit(value, unit)}{since}"


def _geo_credit() -> str:
    from observatoire.maps import GEO_CREDIT  # geopandas is heavy: loaded only for the map blocks

    return GEO_CREDIT


# --------------------------------------------------------------------------- members (the register)


def members_map(con: duckdb.DuckDBPyConnection, territory: str, year: int, level: str | None = None,
                measure: str = "members") -> Block:
    """Members by sub-territory on a map of France, one level below the territory unless level is given.

    measure (observatoire.measures): the count, members per 100 000 inhabitants or the certified share, on a
    classed colour scale (quantiles); the table carries all three with the population.
    """
    w = Where(con, territory, year)
    level = level or MAP_LEVEL[w.level]
    m = measures.MEASURES[measure]
    counts = measures.with_rates(w.q("members_by_subterritory", territory="FR", level=level, year=w.year))
    ranking = measures.with_rates(w.q("members_by_subterritory", territory=w.territory, level=level, year=w.year))
    ranking = ranking.dropna(subset=[m.column]).sort_values(m.column, ascending=False, kind="stable")
    names = ranking.name.str.removeprefix("COORACE ") if level == "federation" else ranking.name
    total = int(w.q("territory_profile", territory=w.territory, year=w.year).members.iloc[0])
    demo = int(counts.demo_members.sum()) > 0
    register = w.register("FR")
    short, full = [register], [register, _geo_credit()]
    if measure == "rate":
        population = w.q("population_of_territory", territory="FR")
        short, full = short + list(population.source_short), full + list(population.source)
    edges, labels = measures.classes(counts[m.column], m)
    return make(
        "carte-adherents" + MAP_SUFFIX[measure], f"{m.name} par {MAP_LEVEL_NAMES[level]}{w.where()}, {w.year}", "map",
        short, full, [DEMO_NOTE if demo else ""], subtitle=measures.SENTENCE,
        data=counts[["territory_id", "name", m.column]],
        chart=Chart("map", "name", (m.column,), unit=m.unit, series_names=(m.name,), level=level,
                    zoom_to=None if w.national else (w.level, w.territory),
                    classes=edges, class_labels=labels, class_method=measures.METHOD),
        side=pd.DataFrame({"label": names, "value": ranking[m.column].round(m.decimals)}).head(6),
        side_title="Les plus nombreux" if measure == "members" else "Les plus élevés",
        demo=demo, caption=f"{fmt.number(total)} adhérents au total{w.where()}", credit=_geo_credit(),
        scope="France entière", download="adherents-carte" + MAP_SUFFIX[measure],
        table=counts[["name", "members", "certified", "population", "rate", "certified_share"]]
        .round({"rate": 2, "certified_share": 1}).rename(columns={
            "name": "Territoire", "members": "Adhérents", "certified": "Certifiés",
            "population": "Population (INSEE)", "rate": measures.MEASURES["rate"].name,
            "certified_share": "Part certifiée (%)"}),
    )


def members_by_type(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Members by structure type; nationally, for a year whose split is published, it cites the report.

    The register reproduces the published split (checked at build time); elsewhere the block
    cites the register, flagged when demonstration rows feed it. With a register of the year before,
    both years side by side.
    """
    w = Where(con, territory, year)
    by_type = w.q("members_by_type", territory=w.territory, year=w.year)
    (short, full), demo = _type_split_source(w, w.year), int(by_type.demo_members.sum()) > 0
    demo = demo and short == w.register()
    data = pd.DataFrame({
        "structure_type": by_type.structure_type,
        "type": [label if len(label) <= LABEL_MAX else s for label, s in zip(by_type.type_label, by_type.short_label)],
        "members": by_type.members.astype(float),
    })
    body = () if len(data) else (f"Aucun adhérent dans le registre pour « {w.name} » en {w.year}.",)
    kwargs = {"chart": None if data.empty else Chart("bar", "type", ("members",), series_names=("Adhérents",),
                                                     colour_col="structure_type"),
              "table": pd.DataFrame({"Type": by_type.type_label, "Adhérents": by_type.members}),
              "caption": f"{fmt.number(int(data.members.sum()))} adhérents",
              "years_note": "" if data.empty else years.single_year(w.year) if short != w.register()
              else years.single_year(w.year).replace("publié", "registre")}
    earlier = w.q("members_by_type", territory=w.territory, year=w.year - 1)
    before_short, before_full = _type_split_source(w, w.year - 1) if len(earlier) else ("", "")
    earlier_demo = before_short == w.register(year=w.year - 1) and int(earlier.demo_members.sum()) > 0
    if len(earlier) and len(data) and earlier_demo != demo:  # never a real register against demonstration rows
        earlier = earlier.iloc[:0]
        kwargs["years_note"] = years.MIXED.format(year=w.year - 1)
    if len(data) and len(earlier):  # the register of the year before: both years side by side
        pair = years.pair(_register_series(data.type, by_type, w.year, short),
                          _register_series(None, earlier, w.year - 1, before_short), label="Type", absent=0.0)
        change = years.change(data.members.sum(), float(earlier.members.sum()), "nombre")
        kwargs = {"chart": pair.chart("bar", "nombre"), "table": pair.table, "subtitle": pair.subtitle("Adhérents"),
                  "caption": f"{fmt.number(int(data.members.sum()))} adhérents ({change} depuis {w.year - 1})"}
        data, short, full = pair.data, [short, before_short], [full, before_full]
    return make(
        "types-structures", f"Adhérents par type de structure{w.where()}, {w.year}", "chart",
        short if isinstance(short, list) else [short], full if isinstance(full, list) else [full],
        [DEMO_NOTE if demo else ""], data=data, body=body, demo=demo, scope=w.name, download="adherents-par-type",
        **kwargs)


def _type_split_source(w: Where, year: int) -> tuple[str, str]:
    """The source of a year's split by type: the published one nationally when it exists for that very year (the
    register reproduces it), else the register's (short and full)."""
    published = w.series("network_members", "members_by_type", territory=w.territory, year=year)
    if w.national and not published.empty and int(published.year.max()) == year:
        return published.source_short.iloc[0], published.source.iloc[0]
    register = w.register(year=year)
    return register, register


def _register_series(labels: pd.Series | None, by_type: pd.DataFrame, year: int, source: str) -> pd.DataFrame:
    """Members by type of one register year in the shape of a published series (observatoire.years.pair)."""
    labels = labels if labels is not None else [
        label if len(label) <= LABEL_MAX else s for label, s in zip(by_type.type_label, by_type.short_label)]
    return pd.DataFrame({"category": by_type.structure_type, "category_label": list(labels),
                         "value": by_type.members.astype(float), "year": year, "unit": "nombre",
                         "source_short": source})


def type_matrix(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Sub-territory × structure type counts of the register (the same sub-level as the members map)."""
    w = Where(con, territory, year)
    by_type = w.q("members_by_type", territory=w.territory, year=w.year)
    long = w.q("members_by_subterritory_and_type", territory=w.territory, sublevel=MAP_LEVEL[w.level], year=w.year)
    register = w.register()
    return make(
        "territoires-types", f"Territoires × types de structure — {w.name}, {w.year}", "table", [register],
        [register], data=tables.type_matrix(long, dict(zip(by_type.structure_type, by_type.short_label))),
        demo=int(by_type.demo_members.sum()) > 0, scope=w.name, download="adherents-territoire-type",
    )


def key_figures(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The key figures: national ones for France, the territory's own (published or counted) elsewhere."""
    w = Where(con, territory, year)
    if w.national:  # each tile with its change since the year before and its trend line (observatoire.years)
        kpis = years.national_key_figures(w)
        one_year = kpis.years.map(len).max() < 2 if len(kpis) else True
        return make("chiffres-cles", f"Chiffres clés du réseau, {w.year}", "kpis",
                    [s for t in kpis.sources for s in t], [s for t in kpis.sources_full for s in t],
                    data=kpis[["label", "value", "unit", "caption", "source", "delta", "trend"]], scope=w.name,
                    body=(years.ONE_YEAR,) if one_year else ())
    profile = w.q("territory_profile", territory=w.territory, year=w.year).iloc[0]
    own = w.q("territory_figures", territory=w.territory, year=w.year)
    own = own[(own.relation == "ce territoire") & (own.category_label == "")]
    demo = own.empty and int(profile.demo_members) > 0
    if own.empty:  # counted in the register, with the change since the register of the year before
        source = w.register()
        counts = years.comparable(w.q("compare_register_years", territory=w.territory, year=w.year), w.year)
        if len(counts) > 1:  # both registers' sources
            source = f"{source} ; {w.register(year=int(counts.year.iloc[-2]))}"
        rows = []
        for label, column in (("Adhérents", "members"), ("Adhérents certifiés CEDRE", "certified")):
            trend = tuple(float(v) for v in counts[column])
            delta = (f"{years.change(trend[-1], trend[-2], 'nombre')} depuis {int(counts.year.iloc[-2])}"
                     if len(trend) > 1 else "")
            rows.append({"label": label, "value": float(profile[column]), "unit": "nombre",
                         "caption": " · ".join(x for x in ("registre", str(w.year), delta) if x), "source": source,
                         "delta": delta, "trend": trend if len(trend) > 1 else ()})
        data = pd.DataFrame(rows)
    else:
        data = pd.DataFrame({"label": own.label, "value": own.value, "unit": own.unit,
                             "caption": [f"publié · {int(y)}" for y in own.year], "source": own.source_short,
                             "delta": "", "trend": [()] * len(own)})
    data = pd.concat([data, pd.DataFrame({
        "label": ["Départements couverts"], "value": [float(profile.departements)], "unit": ["nombre"],
        "caption": ["découpage de 2014"], "source": ["Référentiel des territoires"], "delta": [""], "trend": [()],
    })], ignore_index=True)
    return make("chiffres-cles", f"Chiffres clés — {w.name}, {w.year}", "kpis", data.source, data.source,
                [DEMO_NOTE if demo else ""], data=data.reset_index(drop=True), demo=demo, scope=w.name)


def demo_sentence(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """What the demonstration register respects, in figures read from the database (no fact in the text)."""
    w = Where(con, "FR", year)
    members = int(w.q("territory_profile", territory="FR", year=w.year).members.iloc[0])
    certified = w.series("cedre", "certified_total")
    mp = w.q("territory_figures", territory=ENGAGEMENTS_TERRITORY, year=w.year)
    mp = mp[(mp.relation == "ce territoire") & (mp.category_label == "") & (mp.unit != "%")]
    parts = [f"{fmt.number(members)} adhérents", "répartition par type"]
    if len(mp) == 2:
        parts.append(f"{fmt.number(mp.value.iloc[0])} adhérents en Midi-Pyrénées dont "
                     f"{fmt.number(mp.value.iloc[1])} certifiés")
    if not certified.empty:
        parts.append(f"{fmt.number(certified.value.iloc[0])} certifiés")
    return ", ".join(parts)


# --------------------------------------------------------------------------- published figures (France only)


def _published(w: Where, block_id: str, title: str, shown: pd.DataFrame, chart: Chart,
               cited: pd.DataFrame | None = None, **kwargs) -> Block:
    """A chart of a national published series: its sources (of shown and cited rows), the « national only »
    notice, its figures table."""
    rows = shown if cited is None else pd.concat([shown, cited], ignore_index=True)
    if "data" not in kwargs:
        kwargs["data"] = shown[[chart.category_col, *chart.value_cols]].reset_index(drop=True)
    if "table" not in kwargs:
        kwargs["table"] = tables.figures_table(shown)
    full = rows["source"] if "source" in rows else rows.source_short
    return make(block_id, title, "chart", rows.source_short, full, kwargs.pop("remarks", ()), chart=chart,
                caption=w.national_only(), national_only=w.national_only(), scope="France entière", **kwargs)


def _in_years(w: Where, block_id: str, title: str, now: pd.DataFrame, earlier: pd.DataFrame, chart: Chart,
              what: str, cited: pd.DataFrame | None = None, **kwargs) -> Block:
    """A published series in its latest year beside the year before (observatoire.years): bars side by side,
    both values and the change in the table, both years' sources. With one year, its own chart and a note that the
    comparison comes with the next import."""
    pair = years.pair(now, earlier)
    if pair is None:
        note = years.single_year(_latest_year(now, w.year)) if len(now) else ""
        return _published(w, block_id, title, now, chart, cited=cited, years_note=note, **kwargs)
    kwargs["subtitle"] = pair.subtitle(what)
    kwargs.setdefault("table", pair.table)
    cited = pd.concat([x for x in (earlier, cited) if x is not None], ignore_index=True)
    return _published(w, block_id, title, now, pair.chart("column" if chart.kind == "column" else "bar", chart.unit),
                      cited=cited, data=pair.data, **kwargs)


def funding_mix(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Public funding and economic activity shares of resources, by structure type (100 % bars)."""
    w = Where(con, territory, year)
    mix = w.q("funding_mix_by_type", territory="FR", year=w.year)
    # codes the report prints alone (AI, ACI…) get their full name: « AI (Associations Intermédiaires) »,
    # which the chart shortens to « AI ¹ » with a footnote
    types = w.q("structure_types").set_index("structure_type").type_label
    mix = mix.assign(category_label=[f"{c} ({types[c]})" if c in types.index else c for c in mix.category_label])
    wide = mix.pivot(index="category_label", columns="series", values="value")
    data = wide.loc[list(dict.fromkeys(mix.category_label)), list(FUNDING_SERIES)].reset_index()
    data = data.rename(columns={"category_label": "type"}).rename_axis(columns=None)
    title = f"Financements publics et activité économique par type de structure, {_latest_year(mix, w.year)}"
    table = mix[["category_label", "series", "value", "year"]].rename(columns={
        "category_label": "Type", "series": "Ressource", "value": "Part (%)", "year": "Année"})
    earlier = w.q("funding_mix_by_type", territory="FR", year=_latest_year(mix, w.year) - 1) if len(mix) else mix
    if len(earlier):  # the public share by type in both years (the other share is its complement to 100 %)
        earlier = earlier.assign(category_label=[f"{c} ({types[c]})" if c in types.index else c
                                                 for c in earlier.category_label])
        public = mix.series == FUNDING_SERIES[0]
        pairs = [years.pair(mix[mix.series == s], earlier[earlier.series == s], label="Type") for s in FUNDING_SERIES]
        table = pd.concat([p.table.assign(Ressource=s) for p, s in zip(pairs, FUNDING_SERIES) if p is not None],
                          ignore_index=True)
        return _in_years(w, "financements", title, mix[public], earlier[earlier.series == FUNDING_SERIES[0]],
                         Chart("bar", "type", ("value",), unit="%"), "Part des financements publics dans les "
                         "ressources", cited=mix[~public], table=table)
    chart = Chart("stacked", "type", FUNDING_SERIES, unit="%", series_colours=FUNDING_COLOURS)
    return _published(w, "financements", title, mix, chart, data=data, subtitle="En % du total des ressources",
                      table=table, years_note=years.single_year(_latest_year(mix, w.year)) if len(mix) else "")


def funding_note(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """What the report also says about funding: its headline share, and the competing series set aside."""
    w = Where(con, "FR", year)
    economic = w.series("funding_mix", "economic_activity_share")
    variant = w.series("funding_mix", "own_revenue_share_variant")
    if economic.empty:
        return ""
    quote = economic.source.iloc[0].rsplit(" — « ", 1)[-1].removesuffix(" »")
    return f"Le rapport titre aussi : « {quote} »." + ("" if variant.empty else (
        " Une seconde série de parts (" + " / ".join(fmt.number(v) for v in variant.value) + " %) figure dans le "
        "document ; elle n'est pas retenue (voir la page Sources et données)."))


def resources(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The national federation's resources: total in the title, shares as a doughnut (or both years' bars)."""
    w = Where(con, territory, year)
    shares = w.series("federation_resources", "federation_resources_share")
    total = w.series("federation_resources", "federation_resources_total")
    earlier = years.before(w, "federation_resources", "federation_resources_total", total)
    year, split = _years(total, shares, w.year)
    return _in_years(
        w, "ressources", f"Ressources du COORACE national, {year}{_amount(total, earlier)}", shares,
        years.before(w, "federation_resources", "federation_resources_share", shares),
        Chart("doughnut", "category_label", ("value",), unit="%", series_names=("Part des ressources",)),
        "Part de chaque ressource", cited=pd.concat([total, earlier], ignore_index=True),
        subtitle="" if split == year else f"Répartition publiée pour {split}")


def turnover(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The network's cumulated turnover: total in the title, SIAE and network as columns (both years side by side)."""
    w = Where(con, territory, year)
    by_scope = w.series("network_economy", "turnover_by_scope")
    total = w.series("network_economy", "turnover_total")
    earlier = years.before(w, "network_economy", "turnover_total", total)
    year, split = _years(total, by_scope, w.year)
    return _in_years(
        w, "chiffre-affaires", f"Chiffre d'affaires HT cumulé du réseau, {year}{_amount(total, earlier)}", by_scope,
        years.before(w, "network_economy", "turnover_by_scope", by_scope),
        Chart("column", "category_label", ("value",), unit="M€", series_names=("Chiffre d'affaires",)),
        "Chiffre d'affaires", cited=pd.concat([total, earlier], ignore_index=True), default=False,
        subtitle="" if split == year else f"Répartition publiée pour {split}")


def sectors(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The members' activity sectors (shares), with the note the source carries (both years side by side)."""
    w = Where(con, territory, year)
    shares = w.series("activity_sectors", "sector_distribution")
    note = shares.note.dropna()
    return _in_years(
        w, "secteurs", f"Répartition par secteur d'activité, {_latest_year(shares, w.year)}", shares,
        years.before(w, "activity_sectors", "sector_distribution", shares),
        Chart("bar", "category_label", ("value",), unit="%", series_names=("Part",)), "Part des adhérents",
        remarks=[note.iloc[0] if not note.empty else ""], default=False)


def key_figures_change(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The key figures beside the year before (observatoire.years)."""
    return years.key_figures_change(con, territory, year)


# Every block id drawn by one function of (con, territory, year); projects() gives one block per project.
PAGE_BLOCKS = {
    "carte-adherents": members_map, "carte-adherents-taux": partial(members_map, measure="rate"),
    "carte-adherents-certifies": partial(members_map, measure="certified_share"),
    "types-structures": members_by_type, "territoires-types": type_matrix,
    "chiffres-cles": key_figures, "chiffres-cles-evolution": key_figures_change,
    "financements": funding_mix, "ressources": resources, "chiffre-affaires": turnover,
    "secteurs": sectors, "cedre": cedre, "cedre-engagements": cedre_engagements,
    "cedre-iso-carte": new_certified_map, "cedre-iso-carte-taux": partial(new_certified_map, measure="rate"),
    "cedre-iso-carte-adherents": partial(new_certified_map, measure="member_share"),
    "nouveaux-certifies": new_certified, "carte-projets": projects_map,
    "entreprises-etp": enterprises_fte, "entreprises-ca": enterprises_turnover, "carte-entreprises": enterprises_map,
    "carte-points-adherents": members_points,
}
