"""Years side by side: the national key figures with their change since the previous year, a trend line per
tile, and a table of each figure's evolution with both years' sources. Plain data (Block), no Streamlit.

With one year of data the blocks say the comparison will come with the next import.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from observatoire import fmt
from observatoire.block import Block, Chart, Where, make
from observatoire.charts import ACCENT, MUTED

ONE_YEAR = "Une seule année de données : les évolutions s'afficheront dès qu'une deuxième année sera importée."


def change(now: float, before: float, unit: str) -> str:
    """« +12 », « +88 k€ », « −2 points »: the signed difference in the figure's unit (a share's change in points)."""
    diff = float(now) - float(before)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    if unit == "%":  # a share's change is in points: « +1 point », « −2,5 points » (plural from 2, in French)
        return f"{sign}{fmt.with_unit(abs(diff), 'nombre')} point{'s' if abs(diff) >= 2 else ''}"
    return sign + fmt.with_unit(abs(diff), unit)


def national_key_figures(w: Where) -> pd.DataFrame:
    """One row per key figure: its latest value up to the year, the change since the year before, every year's value
    (the tile's trend line) and the sources of the years compared."""
    years = w.q("key_figures_years", year=w.year)
    rows = []
    for _, kpi in years.groupby("position", sort=True):
        last = kpi.iloc[-1]
        before = kpi.iloc[-2] if len(kpi) > 1 else None
        delta = "" if before is None else f"{change(last.value, before.value, last.unit)} depuis {int(before.year)}"
        rows.append({
            "label": last.label, "value": last.value, "unit": last.unit,
            "caption": " · ".join(x for x in (last.unit_label, str(int(last.year)), delta) if x),
            "source": last.source_short, "delta": delta, "trend": tuple(float(v) for v in kpi.value),
            "years": tuple(int(y) for y in kpi.year), "sources": tuple(kpi.source_short.iloc[-2:]),
            "sources_full": tuple(kpi.source.iloc[-2:]),
        })
    return pd.DataFrame(rows, columns=["label", "value", "unit", "caption", "source", "delta", "trend", "years",
                                       "sources", "sources_full"])


def key_figures_change(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The change of each key figure since the year before, in %, as bars; the table sets both years side by side
    with their sources."""
    w = Where(con, territory, year)
    kpis = national_key_figures(w)
    compared = kpis[kpis.years.map(len) > 1]
    table = pd.DataFrame({
        "Indicateur": compared.label,
        "Année précédente": [f"{fmt.with_unit(r.trend[-2], r.unit)} ({r.years[-2]})" for r in compared.itertuples()],
        "Dernière année": [f"{fmt.with_unit(r.trend[-1], r.unit)} ({r.years[-1]})" for r in compared.itertuples()],
        "Évolution": [change(r.trend[-1], r.trend[-2], r.unit) for r in compared.itertuples()],
        "Évolution (%)": [_percent(r.trend[-1], r.trend[-2]) for r in compared.itertuples()],
        "Sources": [" ; ".join(dict.fromkeys(r.sources)) for r in compared.itertuples()],
    })
    data = pd.DataFrame({"indicator": compared.label, "change": table["Évolution (%)"]}).dropna()
    short = [s for r in compared.itertuples() for s in r.sources]
    full = [s for r in compared.itertuples() for s in r.sources_full]
    return make(
        "chiffres-cles-evolution", f"Évolution des chiffres clés du réseau, jusqu'en {w.year}", "chart",
        short or list(kpis.source), full or list(kpis.source), data=data.reset_index(drop=True), table=table,
        chart=Chart("bar", "indicator", ("change",), unit="%", series_names=("Évolution depuis l'année précédente",))
        if len(data) else None,
        subtitle="En % de la valeur de l'année précédente", scope="France entière",
        national_only=w.national_only(), body=() if len(compared) else (ONE_YEAR,), default=bool(len(compared)),
    )


def _percent(now: float, before: float) -> float | None:
    """The change in % of the earlier value, one decimal (None from zero)."""
    return round((float(now) - float(before)) * 100 / float(before), 1) if before else None


# --------------------------------------------------------------------------- a published series in two years

NONE = "—"  # a category not published the earlier year


MIXED = ("pas d'évolution calculée : le registre de {year} et celui-ci ne sont pas de même nature (l'un réel, "
         "l'autre en données de démonstration pour ce territoire)")


def comparable(registers: pd.DataFrame, year: int) -> pd.DataFrame:
    """A territory's register years (compare_register_years) that can be set side by side with the given year:
    the last ones of the same nature as it, real or demonstration rows. A change between a real register and an
    illustrative distribution would be invented. Empty when the year has no register."""
    if registers.empty or int(registers.year.max()) != year:
        return registers.iloc[:0]
    demo = registers.demo_members.gt(0)
    same = demo.eq(demo.iloc[-1])
    return registers[same[::-1].cummin()[::-1]]


REFERENCE_INDICATOR = "members_total"  # a published member total makes its year one to pick (queries/data_years.sql)


def hidden_years(rows: pd.DataFrame, known: list[int]) -> str:
    """What an administrator is told when a figures file brings years the year selector does not offer yet: they
    become reference years with a register or a published member total (empty when nothing is hidden)."""
    if rows.empty or "year" not in rows:
        return ""
    brought = set(int(y) for y in rows.year.dropna())
    if "indicator" in rows:
        brought -= set(int(y) for y in rows.loc[rows.indicator == REFERENCE_INDICATOR, "year"].dropna())
    hidden = sorted(y for y in brought if y not in known and y > max(known, default=0))
    if not hidden:
        return ""
    listed = ", ".join(str(y) for y in hidden)
    return (f"Chiffres de {listed} : l'année n'est pas encore proposée dans « Année des données ». Elle le sera dès "
            f"que le registre des adhérents ou le nombre total d'adhérents (indicateur {REFERENCE_INDICATOR}) de "
            "cette année sera importé ; jusque-là, ces chiffres restent dans la base et sur la page Sources.")


def single_year(year: int) -> str:
    """What a block published for one year only says under its source."""
    return f"publié pour {year} seulement : l'évolution s'affichera dès qu'une autre année sera importée"


def before(w: Where, theme: str, indicator: str, now: pd.DataFrame, territory: str = "FR") -> pd.DataFrame:
    """The series in the latest year before the one shown: empty when it is published for one year only."""
    if now.empty:
        return now
    return w.series(theme, indicator, territory, year=int(now.year.max()) - 1)


@dataclass(frozen=True)
class Pair:
    """A series in two years: chart data (label, one column per year), table (both years, the change, sources),
    the years, and the earlier year's rows (cited as sources with the latest ones)."""

    data: pd.DataFrame
    table: pd.DataFrame
    years: tuple[int, int]
    earlier: pd.DataFrame

    def chart(self, kind: str, unit: str) -> Chart:
        """Grouped bars: the earlier year in grey, the latest in the accent colour."""
        names = tuple(str(y) for y in self.years)
        return Chart(kind, "label", names, unit=unit, series_names=names, series_colours=(MUTED, ACCENT))

    def subtitle(self, what: str) -> str:
        return f"{what}, {self.years[0]} et {self.years[1]}"


def pair(now: pd.DataFrame, earlier: pd.DataFrame, label: str = "Catégorie", value: str = "value",
         names: str = "category_label", absent: float | None = None) -> Pair | None:
    """The series of the latest year beside the earlier one, matched on their category code, else their label (None
    with one year).

    A category new in the latest year has no earlier value, one published the earlier year only no latest value
    (« — » in the table, no bar); absent=0 for counts of a complete register, where a missing category has none."""
    if now.empty or earlier.empty:
        return None
    years = (int(earlier.year.max()), int(now.year.max()))
    unit = str(now.unit.iloc[0]) if "unit" in now else "%"
    key = "category" if all("category" in df and df.category.notna().all() for df in (now, earlier)) else names
    old = dict(zip(earlier[key], earlier[value].astype(float)))
    new = dict(zip(now[key], now[value].astype(float)))
    gone = earlier[~earlier[key].isin(now[key])]  # published the earlier year only: kept, with no latest value
    keys, labels = [*now[key], *gone[key]], [*now[names], *gone[names]]
    first, last = [old.get(k, absent) for k in keys], [new.get(k, absent) for k in keys]
    data = pd.DataFrame({"label": labels, str(years[0]): first, str(years[1]): last})
    sources = " ; ".join(dict.fromkeys([*earlier.source_short, *now.source_short]))
    table = pd.DataFrame({
        label: data.label, str(years[0]): [fmt.with_unit(v, unit) if v is not None else NONE for v in first],
        str(years[1]): [fmt.with_unit(v, unit) if v is not None else NONE for v in last],
        f"Évolution {years[0]}–{years[1]}": [NONE if a is None or b is None else change(b, a, unit)
                                             for a, b in zip(first, last)],
        "Sources": sources,
    })
    return Pair(data, table, years, earlier)
