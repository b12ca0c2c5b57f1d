"""Files the dashboard lets users download: CSV, XLSX, Parquet, with formula injection neutralised."""

from __future__ import annotations

import io

import pandas as pd

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
