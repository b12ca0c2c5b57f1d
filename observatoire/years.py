"""Years side by side: the national key figures with their change since the previous year, a trend line per
tile, and a table of each figure's evolution with both years' sources. Plain data (Block), no Streamlit.

With one year of data the blocks say the comparison will come with the next import.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatoire import fmt
from observatoire.block import Block, Chart, Where, make

ONE_YEAR = "Une seule année de données : les évolutions s'afficheront dès qu'une deuxième année sera importée."


def change(now: float, before: float, unit: str) -> str:
    """« +12 », « −3,5 % »…: the signed difference in the figure's unit (a share's change in points)."""
    diff = float(now) - float(before)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    text = fmt.with_unit(abs(diff), unit)
    return sign + (text.replace(" %", " point(s)") if unit == "%" else text)


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
