"""The importable kinds of file (register, figures, projects, labels) and their templates.

A kind names its columns, which are required, its key and its numeric columns; the
validator (observatoire.validate) and the templates offered to administrators read it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import build, export
from observatoire.paths import QUERIES_DIR, db_path

IMPORT_SQL = QUERIES_DIR / "import"


def ref(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """A reference list from queries/import/ref_<name>.sql."""
    return con.execute((IMPORT_SQL / f"ref_{name}.sql").read_text(encoding="utf-8")).df()


@dataclass(frozen=True)
class Kind:
    """One importable kind of file: its French name, columns and key."""

    name: str
    label: str
    columns: list[str]
    required: list[str]
    key: list[str]
    integers: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    per_year: bool = False


KINDS = {
    "members": Kind(
        "members", "Registre des adhérents (une année)",
        ["member_id", "name", "structure_type", "commune_insee", "creation_year", "fte", "turnover_eur"],
        ["member_id", "name", "structure_type", "commune_insee"], ["member_id"],
        integers=("creation_year",), numbers=("fte", "turnover_eur"), per_year=True,
    ),
    "figures": Kind(
        "figures", "Chiffres publiés d'une année", list(build.FIGURE_COLUMNS[:-1]) + ["note", "theme"],
        ["theme", "indicator", "label", "unit", "year", "territory", "source_file", "section", "original_text"],
        ["theme", "indicator", "category", "year", "territory"], integers=("year",),
    ),
    "projects": Kind(
        "projects", "Projets d'innovation",
        ["project_id", "name", "carrier", "commune_insee", "axis_id", "summary"],
        ["project_id", "name", "commune_insee", "axis_id", "summary"], ["project_id"], integers=("axis_id",),
    ),
    "certifications": Kind(
        "certifications", "Labels qualité (certifications)",
        ["member_id", "scheme", "level", "year", "event"], ["member_id", "scheme", "year", "event"],
        ["member_id", "scheme", "year", "event"], integers=("year",),
    ),
}



def template_csv(kind_name: str) -> bytes:
    """An empty CSV template (header only), UTF-8 with BOM, ';' separated."""
    return export.to_csv(pd.DataFrame(columns=KINDS[kind_name].columns))


def template_xlsx(kind_name: str, target: Path | None = None) -> bytes:
    """An XLSX template with drop-down lists on coded columns (types, labels, units, territories...)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = KINDS[kind_name]
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        lists = {
            "structure_type": ref(con, "types").code.tolist(),
            "scheme": ref(con, "schemes").scheme.tolist(),
            "event": ["certification", "renouvellement"],
            "unit": ["nombre", "%", "€", "k€", "M€", "ETP", "heures", "jours", "année"],
            "territory": ref(con, "territories").territory_id.tolist(),
            "axis_id": [str(a) for a in ref(con, "axes").axis_id],
        }
    finally:
        con.close()
    book = Workbook()
    sheet = book.active
    sheet.title = "données"
    sheet.append(kind.columns)
    listes = book.create_sheet("listes")
    column = 1
    for index, name in enumerate(kind.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(name) + 4)
        if name not in lists:
            continue
        letter = listes.cell(1, column).column_letter
        listes.cell(1, column, name)
        for row, value in enumerate(lists[name], start=2):
            listes.cell(row, column, value)
        rule = DataValidation(type="list", formula1=f"=listes!${letter}$2:${letter}${len(lists[name]) + 1}",
                              allow_blank=name not in kind.required, showErrorMessage=True,
                              errorTitle="Valeur non autorisée", error=f"Choisissez une valeur de la liste ({name}).")
        target_letter = sheet.cell(1, index).column_letter
        rule.add(f"{target_letter}2:{target_letter}5000")
        sheet.add_data_validation(rule)
        column += 1
    listes.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
