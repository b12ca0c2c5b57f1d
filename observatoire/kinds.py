"""The importable kinds of file (register, figures, projects, labels) and their templates.

A kind names its columns, which are required, its key, the rule of each numeric column
(shared with the database's CHECK constraints) and the French headers accepted for each
column; the validator (observatoire.validate) and the templates offered to administrators read it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import build, db, export, units
from observatoire.paths import QUERIES_DIR, db_path

IMPORT_SQL = QUERIES_DIR / "import"


def ref(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """A reference list from queries/import/ref_<name>.sql."""
    return db.run_file(con, IMPORT_SQL / f"ref_{name}.sql").df()


UNITS = units.NAMES  # the one list: observatoire.units
EVENTS = ("certification", "renouvellement")


@dataclass(frozen=True)
class Number:
    """A numeric column's rule: integer or not, and its bounds.

    The validator applies it, and queries/build/00_schema.sql carries the same bounds as a CHECK
    (tests/test_bad_files.py asserts the two agree), so a file shown as valid always imports.
    """

    integer: bool = False
    low: float | None = None
    high: float | None = None

    def check_sql(self, column: str) -> str | None:
        """The CHECK expression the schema holds for this column."""
        low, high = (None if b is None else _plain(b) for b in (self.low, self.high))
        if low is not None and high is not None:
            return f"{column} between {low} and {high}"
        if low is not None:
            return f"{column} >= {low}"
        if high is not None:
            return f"{column} <= {high}"
        return None

    def accepts(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


YEAR = Number(integer=True, low=1980, high=2100)


@dataclass(frozen=True)
class Kind:
    """One importable kind of file: its French name, columns, key, numeric rules and French header aliases."""

    name: str
    label: str
    table: str
    columns: list[str]
    required: list[str]
    key: list[str]
    numbers: dict[str, Number] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    per_year: bool = False

    def column_for(self, header: str) -> str | None:
        """The column a header names: its code or a French label, in any case, with or without accents."""
        wanted = normalise_header(header)
        for column in self.columns:
            if wanted == column or wanted in {normalise_header(a) for a in self.aliases.get(column, ())}:
                return column
        return None


def normalise_header(text: str) -> str:
    """« Année de création » -> annee_de_creation: casefold, no accents, any run of other signs -> `_`."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


KINDS = {
    "members": Kind(
        "members", "Registre des adhérents (une année)", "members",
        ["member_id", "name", "structure_type", "commune_insee", "creation_year", "fte", "turnover_eur"],
        ["member_id", "name", "structure_type", "commune_insee"], ["member_id"],
        numbers={"creation_year": Number(integer=True, low=1900, high=2100), "fte": Number(low=0, high=100_000),
                 "turnover_eur": Number(low=0)},
        aliases={"member_id": ("identifiant", "id", "identifiant adhérent", "n° adhérent", "numéro adhérent"),
                 "name": ("nom", "raison sociale", "nom de la structure"),
                 "structure_type": ("type", "type de structure"),
                 "commune_insee": ("code commune", "code INSEE", "commune (code INSEE)", "code commune INSEE",
                                   "commune INSEE", "INSEE"),
                 "creation_year": ("année de création", "création"),
                 "fte": ("ETP", "équivalents temps plein"),
                 "turnover_eur": ("chiffre d'affaires", "chiffre d'affaires (€)", "CA", "CA (€)")},
        per_year=True,
    ),
    "figures": Kind(
        "figures", "Chiffres publiés d'une année", "figures_published",
        list(build.FIGURE_COLUMNS[:-1]) + ["note", "theme"],
        ["theme", "indicator", "label", "unit", "year", "territory", "source_file", "section", "original_text"],
        ["theme", "indicator", "category", "year", "territory"], numbers={"value": Number(), "year": YEAR},
        aliases={"theme": ("thème",), "indicator": ("indicateur",), "label": ("libellé",),
                 "category": ("catégorie",), "category_label": ("libellé de catégorie", "libellé catégorie"),
                 "value": ("valeur",), "unit": ("unité",), "year": ("année",), "territory": ("territoire",),
                 "source_file": ("fichier source", "source"), "original_text": ("texte original", "citation")},
    ),
    "projects": Kind(
        "projects", "Projets d'innovation", "innovation_projects",
        ["project_id", "name", "carrier", "commune_insee", "axis_id", "summary"],
        ["project_id", "name", "commune_insee", "axis_id", "summary"], ["project_id"],
        numbers={"axis_id": Number(integer=True)},
        aliases={"project_id": ("identifiant", "id", "identifiant projet"), "name": ("nom", "nom du projet"),
                 "carrier": ("porteur", "structure porteuse"),
                 "commune_insee": ("code commune", "code INSEE", "commune (code INSEE)", "code commune INSEE"),
                 "axis_id": ("axe", "axe d'innovation", "n° axe"), "summary": ("résumé", "description")},
    ),
    "certifications": Kind(
        "certifications", "Labels qualité (certifications)", "member_certifications",
        ["member_id", "scheme", "level", "year", "event"], ["member_id", "scheme", "year", "event"],
        ["member_id", "scheme", "year", "event"], numbers={"year": YEAR},
        aliases={"member_id": ("identifiant", "identifiant adhérent", "adhérent"), "scheme": ("label", "référentiel"),
                 "level": ("niveau",), "year": ("année",), "event": ("événement", "évènement")},
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
            "event": list(EVENTS),
            "unit": list(UNITS),
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
