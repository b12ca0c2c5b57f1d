"""What a choropleth of members shows: a count, members per 100 000 inhabitants or the certified share,
and the classes of its colour scale (quantiles, stated in the legend). No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatoire import fmt
from observatoire.population import PER

CLASSES = 5  # at most; fewer when the values have fewer distinct quantiles
METHOD = "classes par quantiles"  # under the colour bar; SENTENCE under the map says what it means
SENTENCE = ("Couleurs par classes de quantiles : autant de territoires dans chaque classe ; une valeur égale à la "
            "borne d'une classe appartient à la classe suivante.")


@dataclass(frozen=True)
class Measure:
    """One way to colour a map of members: its column, the switch's label, the legend's name, unit and decimals."""

    column: str
    label: str
    name: str
    unit: str
    decimals: int


MEASURES = {
    "members": Measure("members", "Nombre", "Adhérents", "nombre", 0),
    "rate": Measure("rate", "Pour 100 000 habitants", f"Adhérents pour {fmt.number(PER)} habitants", "nombre", 2),
    "certified_share": Measure("certified_share", "Part certifiée", "Part des adhérents certifiés", "%", 0),
}


def with_rates(df: pd.DataFrame) -> pd.DataFrame:
    """members, certified and population per territory, plus rate (per 100 000 inhabitants) and certified_share (%).

    A territory without population (or without members, for the share) has no value: « Pas de donnée » on a map.
    """
    population = pd.to_numeric(df.population, errors="coerce").astype(float)
    members = df.members.astype(float)
    return df.assign(rate=members * PER / population.where(population > 0),
                     certified_share=df.certified.astype(float) * 100.0 / members.where(members > 0))


def classes(values: pd.Series, measure: Measure, k: int = CLASSES) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Quantile class edges (ascending, first = minimum, last = maximum) and their legend labels « a à b »."""
    known = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if known.empty:
        return (), ()
    edges = np.unique(np.quantile(known, np.linspace(0, 1, k + 1)).round(measure.decimals))
    if len(edges) == 1:
        edges = np.array([edges[0], edges[0]])
    last = len(edges) - 2
    labels = tuple(_label(low, high, measure, i == last) for i, (low, high) in enumerate(zip(edges[:-1], edges[1:])))
    return tuple(float(e) for e in edges), labels


def _label(low: float, high: float, measure: Measure, last: bool) -> str:
    """« 2 à 3 » for counts (the upper edge belongs to the next class), « 1,8 à 4,2 » otherwise."""
    if measure.decimals == 0 and measure.unit == "nombre" and not last:
        high = max(low, high - 1)
    return _shown(low, measure) if low == high else f"{_shown(low, measure)} à {_shown(high, measure)}"


def class_of(values, edges: tuple[float, ...]) -> np.ndarray:
    """The class index (0 = lowest) of each value, the last class including its upper edge."""
    inner = np.asarray(edges[1:-1], dtype=float)
    return np.searchsorted(inner, np.asarray(values, dtype=float), side="right")


def _shown(value: float, measure: Measure) -> str:
    text = fmt.number(value, measure.decimals) if measure.decimals else fmt.number(round(value))
    return f"{text} %" if measure.unit == "%" else text


# --------------------------------------------------------------------------- counts that are 0 for most territories
# The new CEDRE ISO 9001 certified: named for a few federations, 0 everywhere else. Plain quantiles would put every
# territory in one class; 0 gets a class of its own and the quantiles classify the others.
ZERO_METHOD = "0 à part, puis classes par quantiles"
ZERO_SENTENCE = ("Couleurs par classes : 0 à part, puis des classes de quantiles des valeurs non nulles (autant de "
                 "territoires dans chaque classe) ; une valeur égale à la borne d'une classe appartient à la classe "
                 "suivante.")

ISO_MEASURES = {
    "count": Measure("new", "Nombre", "Nouveaux certifiés", "nombre", 0),
    # short names: the legend's title fits a phone's width; the map's heading says what is counted
    "rate": Measure("rate", "Pour 100 000 habitants", f"Pour {fmt.number(PER)} habitants", "nombre", 2),
    "member_share": Measure("member_share", "Part des adhérents", "Part des adhérents", "%", 1),
}
ISO_SUFFIX = {"count": "", "rate": "-taux", "member_share": "-adherents"}  # block id of each measure's ISO map


def per_inhabitants(counts: pd.Series, population: pd.Series) -> pd.Series:
    """counts per 100 000 inhabitants; none where the population is unknown or zero."""
    population = pd.to_numeric(population, errors="coerce").astype(float)
    return counts.astype(float) * PER / population.where(population > 0)


def share_of(counts: pd.Series, totals: pd.Series) -> pd.Series:
    """counts as a percentage of totals; none where the total is unknown or zero."""
    totals = pd.to_numeric(totals, errors="coerce").astype(float)
    return counts.astype(float) * 100.0 / totals.where(totals > 0)


def zero_classes(values: pd.Series, measure: Measure, k: int = CLASSES) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Class edges and labels with 0 in a class of its own, then quantile classes of the values above 0."""
    known = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    positive = known[known > 0]
    if positive.empty or len(positive) == len(known):
        return classes(known, measure, k)
    upper = list(classes(positive, measure, k - 1)[0])
    # the lowest bound rounded down, so that the smallest value above 0 never falls in the class of 0
    upper[0] = min(upper[0], np.floor(positive.min() * 10 ** measure.decimals) / 10 ** measure.decimals)
    if upper[0] <= 0:  # too small for the measure's decimals: the value itself
        upper[0] = float(positive.min())
    edges = [0.0, upper[0], *(max(e, upper[0]) for e in upper[1:])]
    last = len(edges) - 2
    labels = ["0 %" if measure.unit == "%" else "0"] + [_label(low, high, measure, i == last)
                                     for i, (low, high) in enumerate(zip(edges[1:-1], edges[2:]), start=1)]
    return tuple(float(e) for e in edges), tuple(labels)
