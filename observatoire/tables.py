"""Small table shapes the pages need (pivot, search), kept out of the page scripts."""

from __future__ import annotations

import unicodedata
from collections import namedtuple
from functools import lru_cache

import pandas as pd

from observatoire import fmt

# Rows a list shows on screen; the download always holds every row.
MAX_ROWS_SHOWN = 1000


def fold(text: str) -> str:
    """Lower case without accents, for searches."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()


def records(df: pd.DataFrame) -> list:
    """The rows as named tuples of plain Python values (DataFrame.itertuples(index=False), 3 to 5 times faster).

    Pages loop over small query results at every rerun; with pandas 3 string columns
    itertuples() costs about 0.1 ms per row and column.
    """
    row = _row_type(tuple(map(str, df.columns)))
    return [row._make(values) for values in zip(*(df[c].tolist() for c in df.columns))]


@lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]):
    return namedtuple("Row", columns, rename=True)


def search(df: pd.DataFrame, text: str, columns: list[str]) -> pd.DataFrame:
    """Rows where every word of `text` appears in one of `columns` (accent and case blind)."""
    words = fold(text).split()
    if not words:
        return df
    haystack = df[columns].astype(str).agg(" ".join, axis=1).map(fold)
    mask = pd.Series(True, index=df.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    return df[mask]


def type_matrix(df: pd.DataFrame, type_labels: dict[str, str]) -> pd.DataFrame:
    """subterritory x structure type counts (long) -> a wide table with a total column and row."""
    if df.empty:
        return pd.DataFrame()
    wide = df.pivot_table(index="subterritory", columns="structure_type", values="members",
                          aggfunc="sum", fill_value=0)
    order = [c for c in type_labels if c in wide.columns]
    wide = wide[order]
    wide["Total"] = wide.sum(axis=1)
    wide = wide.sort_values("Total", ascending=False)
    wide.loc["Total"] = wide.sum()
    wide = wide.rename(columns=type_labels).astype(int)
    wide.index.name = "Territoire"
    return wide.reset_index()


def pick(df: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """The columns a page shows, in this order, under their French headers."""
    return df[list(headers)].rename(columns=headers)


def territory_figures_table(df: pd.DataFrame) -> pd.DataFrame:
    """A territory's published figures (query territory_figures) as a page shows them, values in French format."""
    values = [fmt.with_unit(v, u) for v, u in zip(df.value.tolist(), df.unit.tolist())]
    return pick(df.assign(valeur=values), {
        "territory": "Territoire", "label": "Indicateur", "category_label": "Catégorie", "valeur": "Valeur",
        "year": "Année", "relation": "Publié pour", "source_short": "Source"})


def figures_table(df: pd.DataFrame) -> pd.DataFrame:
    """Published figures as a readable table: label, value in French format, year, source."""
    # Column lists rather than itertuples(): 5 to 10 times faster with pandas 3 string columns,
    # and this runs at every rerun of the pages.
    labels, categories = df.label.tolist(), df.category_label.tolist()
    return pd.DataFrame({
        "Indicateur": [f"{label} — {category}" if category and category == category and category != label
                       else label for label, category in zip(labels, categories)],
        "Valeur": [fmt.with_unit(v, u) for v, u in zip(df.value.tolist(), df.unit.tolist())],
        "Année": [str(int(y)) for y in df.year.tolist()],
        "Source": df.source_short.tolist(),
    })
