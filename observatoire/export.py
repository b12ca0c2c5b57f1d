"""Files the dashboard lets users download: CSV, XLSX, Parquet, with formula injection neutralised.

to_csv / to_xlsx / to_parquet write a table as it is (import templates keep their column names);
table_csv / table_xlsx / table_parquet write what a reader downloads: French headers (tables.for_download).
"""

from __future__ import annotations

import io

import pandas as pd

from observatoire import tables

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with an apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with BOM (so Excel in French opens accents right), ';' separated, decimal comma."""
    return neutralise(df).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet: str = "données") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(df).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def to_parquet(df: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def table_csv(df: pd.DataFrame) -> bytes:
    """A shown table as a CSV download: French headers, ';' separated, decimal comma."""
    return to_csv(tables.for_download(df))


def table_xlsx(df: pd.DataFrame) -> bytes:
    """A shown table as an XLSX download: French headers, numbers as numbers."""
    return to_xlsx(tables.for_download(df))


def table_parquet(df: pd.DataFrame) -> bytes:
    """A table as a Parquet download, under the same French headers as its CSV."""
    return to_parquet(tables.for_download(df))
