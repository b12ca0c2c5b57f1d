"""Small table shapes the pages need (pivot, search), kept out of the page scripts."""

from __future__ import annotations

import unicodedata

import pandas as pd

from observatoire import fmt

# Rows a list shows on screen; the download always holds every row.
MAX_ROWS_SHOWN = 1000


def fold(text: str) -> str:
    """Lower case without accents, for searches."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()


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


def figures_table(df: pd.DataFrame) -> pd.DataFrame:
    """Published figures as a readable table: label, value in French format, year, source."""
    return pd.DataFrame({
        "Indicateur": [
            f"{r.label} — {r.category_label}" if r.category_label and r.category_label != r.label else r.label
            for r in df.itertuples()
        ],
        "Valeur": [fmt.with_unit(r.value, r.unit) for r in df.itertuples()],
        "Année": df.year.astype(int).astype(str).to_numpy(),
        "Source": df.source_short.to_numpy(),
    })
