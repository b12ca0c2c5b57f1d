"""The Block type: what one chart, map or figure set shows, as plain data; and the territory it is built for.

observatoire.blocks builds one Block per block id from the database; the renderers (observatoire.show
for the pages, observatoire.presentation for the full-screen slides, the deck writers) draw it.
No Streamlit and no python-pptx here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from observatoire import db

# The map drawn for a territory of each level: one level below, départements at most (pages and slides).
MAP_LEVEL = {"france": "federation", "federation": "departement", "region_2014": "departement",
             "departement": "departement"}
DEMO_NOTE = ("Données de démonstration : le registre réel des adhérents n'est pas public ; les totaux publiés "
             "sont respectés, la répartition entre territoires est illustrative.")
MAP_LEVEL_NAMES = {"federation": "COORACE régional", "region_2014": "région (2014)", "departement": "département"}


@dataclass(frozen=True)
class Chart:
    """How to chart a block's data: kind, category column, one value column per series.

    kind: "bar" (horizontal), "column", "stacked" (100 % horizontal), "doughnut", "map" or "points"
    (data: lon, lat, dep_code and the columns hover names as {column}).
    colour_col holds structure-type codes (coloured like every chart of the dashboard);
    series_colours gives one colour per series. For a map: level, and zoom_to (the territory
    the view fits; None for all of France).
    """

    kind: str
    category_col: str
    value_cols: tuple[str, ...]
    unit: str = "nombre"
    series_names: tuple[str, ...] = ()
    colour_col: str | None = None
    series_colours: tuple[str, ...] = ()
    level: str | None = None
    zoom_to: tuple[str, str] | None = None  # (territory level, territory id)
    hover: str = ""  # points: tooltip with {column} placeholders
    radius: float = 9  # points: marker radius in pixels
    classes: tuple[float, ...] = ()  # map: class edges of a classed colour scale (observatoire.measures)
    class_labels: tuple[str, ...] = ()  # map: one legend label per class
    class_method: str = ""  # map: how the classes were made, printed with the legend

    def names(self) -> tuple[str, ...]:
        return self.series_names or self.value_cols


@dataclass(frozen=True)
class Block:
    """What one chart, map or figure set shows, wherever it is drawn.

    kind: "title", "kpis" (data: label, value, unit, caption, source), "chart", "map",
    "project" (data: the project's result figures). table: the readable table a page shows
    and downloads (data when None). national_only: the sentence a page prints when the
    figure is not published for the selected territory.
    """

    id: str
    title: str
    kind: str
    subtitle: str = ""
    data: pd.DataFrame | None = None
    chart: Chart | None = None
    side: pd.DataFrame | None = None  # a short ranking printed next to a map (label, value)
    side_title: str = ""
    body: tuple[str, ...] = ()
    caption: str = ""
    demo: bool = False
    default: bool = True  # part of the default deck unless the presenter removes it
    sources: tuple[str, ...] = field(default=())  # short sources, as in a caption or a footer
    sources_full: tuple[str, ...] = field(default=())  # with the quoted original text
    remarks: tuple[str, ...] = field(default=())  # speaker-note remarks (demonstration data, source notes)
    credit: str = ""  # map background credit
    scope: str = ""
    national_only: str = ""
    table: pd.DataFrame | None = None
    download: str = ""
    years_note: str = ""  # under the source on a page: a figure of one year only, compared once another is imported

    @property
    def unit(self) -> str:
        return self.chart.unit if self.chart is not None else "nombre"

    def shown_table(self) -> pd.DataFrame:
        """The table a page shows and downloads."""
        return self.table if self.table is not None else (self.data if self.data is not None else pd.DataFrame())


def unique(values: Iterable) -> list[str]:
    """Non-empty values, first occurrence order."""
    return [v for v in dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v)) if v]


_TERRITORIES: dict[int, tuple[duckdb.DuckDBPyConnection, pd.DataFrame]] = {}
_TERRITORIES_MAX = 8


def _territories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The territory list of a connection, read once: every block builds a Where (a deck: about 120 of them).

    A connection reads one database file version (an import swaps the file and opens a new connection); the
    entry holds the connection, so that its id is not reused while the entry lives."""
    entry = _TERRITORIES.get(id(con))
    if entry is None or entry[0] is not con:
        entry = (con, db.run_query("territory_list", {}, con=con).set_index("territory_id"))
        while len(_TERRITORIES) >= _TERRITORIES_MAX:
            _TERRITORIES.pop(next(iter(_TERRITORIES)))
        _TERRITORIES[id(con)] = entry
    return entry[1]


class Where:
    """One territory and year of the database: runs the blocks' queries, knows the territory's name and level."""

    def __init__(self, con: duckdb.DuckDBPyConnection, territory: str, year: int):
        self.con, self.territory, self.year = con, territory, int(year)
        territories = _territories(con)
        if territory not in territories.index:
            raise ValueError(f"Territoire inconnu : {territory}")
        self.name = "France entière" if territory == "FR" else str(territories.loc[territory, "name"])
        self.level = str(territories.loc[territory, "level"])
        self.national = territory == "FR"

    def q(self, name: str, **params) -> pd.DataFrame:
        return db.run_query(name, params, con=self.con)

    def register(self, territory: str | None = None, year: int | None = None) -> str:
        """Where the register of a territory comes from (documents, an imported file, demonstration rows)."""
        label = str(self.q("register_sources", territory=territory or self.territory,
                           year=year or self.year).source.iloc[0])
        return label[:1].upper() + label[1:]

    def series(self, theme: str, indicator: str, territory: str = "FR", year: int | None = None) -> pd.DataFrame:
        return self.q("published_series", theme=theme, indicator=indicator, territory=territory,
                      year=year or self.year)

    def national_only(self) -> str:
        if self.national:
            return ""
        return f"Chiffre publié pour la France entière seulement : il n'existe pas pour « {self.name} »."

    def where(self) -> str:
        return "" if self.national else f" — {self.name}"


def make(id: str, title: str, kind: str, short: Iterable[str], full: Iterable[str], remarks: Iterable[str] = (),
         **kwargs) -> Block:
    """A Block with its sources de-duplicated and empty remarks dropped."""
    return Block(id=id, title=title, kind=kind, sources=tuple(unique(short)), sources_full=tuple(unique(full)),
                 remarks=tuple(r for r in remarks if r), download=kwargs.pop("download", "") or id, **kwargs)
