"""Read an uploaded CSV or XLSX file into a table of text, or say in French why it cannot be read."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Issue:
    """One problem of an uploaded file, named in French with its row and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return (", ".join(where).capitalize() + " : " if where else "") + self.message



def _read_csv(data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Issue(None, None, f"encodage non reconnu (octet {exc.start}) : enregistrez le fichier "
                                       "en CSV UTF-8")]
    if not text.strip():
        return None, [Issue(None, None, "le fichier est vide")]
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return None, [Issue(None, None, f"CSV illisible : {exc}")]
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    issues = [Issue(i + 2, None, f"{len(r)} valeurs pour {len(header)} colonnes")
              for i, r in enumerate(rows[1:]) if any(c.strip() for c in r) and len(r) != len(header)]
    if issues:
        return None, issues
    return pd.DataFrame(body, columns=[h.strip() for h in header], dtype=str), []


def _read_xlsx(data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same user error
        return None, [Issue(None, None, f"classeur XLSX illisible ({exc.__class__.__name__})")]
    sheet = book["données"] if "données" in book.sheetnames else book.worksheets[0]
    issues = []
    values = []
    for row in sheet.iter_rows():
        line = []
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                issues.append(Issue(cell.row, sheet.cell(1, cell.column).value or cell.column_letter,
                                    f"formule interdite en {cell.coordinate} ({str(cell.value)[:40]}) : "
                                    "collez des valeurs"))
            line.append("" if cell.value is None else str(cell.value))
        values.append(line)
    if issues:
        return None, issues
    values = [v for v in values if any(x.strip() for x in v)]
    if not values:
        return None, [Issue(None, None, "le fichier est vide")]
    header = [h.strip() for h in values[0]]
    while header and not header[-1]:
        header.pop()
    body = [v[: len(header)] + [""] * (len(header) - len(v)) for v in values[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    for col in frame.columns:  # integers typed in Excel come back as "2015.0"
        frame[col] = frame[col].str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return frame, []


def read_upload(filename: str, data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The uploaded table as text, or the reason it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [Issue(None, None, f"fichier trop volumineux : {len(data) / 1e6:.1f} Mo "
                                       f"(maximum {MAX_UPLOAD_BYTES / 1e6:.0f} Mo)".replace(".", ","))]
    if not data:
        return None, [Issue(None, None, "le fichier est vide")]
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        frame, issues = _read_csv(data)
    elif suffix == ".xlsx":
        frame, issues = _read_xlsx(data)
    else:
        return None, [Issue(None, None, f"format « {suffix or 'sans extension'} » non pris en charge : "
                                       "déposez un fichier .csv ou .xlsx")]
    if frame is not None and frame.empty:
        return None, [Issue(None, None, "le fichier ne contient aucune ligne de données")]
    if frame is not None and len(frame) > MAX_ROWS:
        return None, [Issue(None, None, f"trop de lignes : {len(frame)} (maximum {MAX_ROWS})")]
    if frame is not None:
        frame = frame.apply(lambda c: c.str.strip())
    return frame, issues
