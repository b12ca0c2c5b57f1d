"""Every page, for France and two territories, speaks French in its tables, captions and downloads:
French numbers, no None / nan / <NA> / « empty », no internal code, French headers in every file."""

from __future__ import annotations

import csv
import io
import re

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

from observatoire import db, export, fmt, tables, ui
from tests.test_pages import run_page

TERRITORIES = [None, "fed-midi-pyrenees", "dep-31"]
# A snake_case identifier (activity_sectors, service_personne, imputed_fields): an internal code.
INTERNAL_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Words a reader must never see in a cell: Python's, pandas' and Streamlit's empty values.
NOT_A_VALUE = re.compile(r"^(?:None|nan|NaN|<NA>|NaT|empty|null|True|False)$")
# A number cell (digits, separators, sign, % or a euro unit), and the English formats it must not have.
NUMBER_CELL = re.compile(r"[-+−]?[\d.,\s\u202f\u00a0]*\d[\d.,\s\u202f\u00a0]*(?:\s*(?:%|€|k€|M€))?")
ENGLISH_NUMBER = re.compile(r"\d,\d{3}(?!\d)|\d\.\d")
# In a file, numbers are written whole (decimal comma, no grouping): 48,171 is a latitude, not 48 171.
ENGLISH_DECIMAL = re.compile(r"\d\.\d")
ICON = re.compile(r":material/[a-z_]+:")  # Streamlit's icon shortcodes are not text
# The data dictionary's columns name the database's own tables and columns: codes by design there.
DATABASE_NAMES = "(nom dans la base)"


class RecordingFiles(MediaFileManager):
    """Streamlit's media file manager, keeping each deferred download's callable to read the file it gives."""

    calls: dict[str, tuple] = {}

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name, element_id=element_id)
        RecordingFiles.calls[file_id] = (data_callable, file_name)
        return file_id


@pytest.fixture
def recorded(monkeypatch):
    RecordingFiles.calls = {}
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingFiles)
    return RecordingFiles.calls


def run(path: str, territoire: str | None, section: str | None = None) -> AppTest:
    """A page (on the section named, ?onglet=…) with every chart's table switched on."""
    at = run_page(path, territoire or None, section, timeout=90)
    toggles = [t for t in at.toggle if str(t.key).startswith("table_")]
    for toggle in toggles:
        toggle.set_value(True)
    if toggles:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def header_problems(headers, where: str) -> list[str]:
    """Headers that are English column names or internal codes."""
    return [f"{where} : en-tête « {h} » non français" for h in map(str, headers)
            if h in tables.HEADERS or INTERNAL_CODE.search(h)]


def cell_problems(value: str, where: str, codes_allowed: bool = False, english=ENGLISH_NUMBER) -> list[str]:
    text = str(value).strip()
    problems = []
    if NOT_A_VALUE.match(text):
        problems.append(f"{where} : cellule « {text} »")
    if NUMBER_CELL.fullmatch(text) and english.search(text):
        problems.append(f"{where} : nombre au format anglais « {text} »")
    if not codes_allowed and INTERNAL_CODE.search(text):
        problems.append(f"{where} : code interne « {INTERNAL_CODE.search(text)[0]} » dans « {text[:80]} »")
    return problems


def table_problems(rows: list[list], headers: list, where: str, english=ENGLISH_NUMBER) -> list[str]:
    problems = header_problems(headers, where)
    dictionary = any(DATABASE_NAMES in str(h) for h in headers)  # it names the database's tables and columns
    for row in rows:
        for header, value in zip(headers, row):
            if value is None or value == "":
                continue  # an empty cell of a file stays empty
            problems += cell_problems(value, f"{where}, colonne « {header} »", dictionary,
                                      english)
    return problems


def file_problems(data: bytes, name: str) -> list[str]:
    """A downloaded file read back: CSV (';', BOM), XLSX or Parquet."""
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        return table_problems(rows[1:], rows[0], name, ENGLISH_DECIMAL)
    if name.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        body = [[v for v in row if not isinstance(v, (int, float))] for row in rows[1:]]  # numbers stay numbers
        headers = [h for h in rows[0]]
        problems = header_problems(headers, name)
        return problems + [p for row in body for v in row if v is not None for p in cell_problems(v, name, True)]
    if name.endswith(".parquet"):
        return header_problems(pq.read_schema(io.BytesIO(data)).names, name)
    return []


def page_problems(at: AppTest, recorded: dict, label: str) -> tuple[list[str], int]:
    """What is not French on a page, and how many downloaded files were read back."""
    problems, files = [], 0
    for df in at.dataframe:
        frame = df.value
        assert len(frame), f"{label} : tableau vide affiché (Streamlit y écrit « empty »)"
        problems += table_problems(frame.values.tolist(), list(frame.columns), f"{label}, tableau")
    for element in [*at.caption, *at.markdown, *at.info, *at.warning]:
        text = element.value
        for token in ("None", "nan", "NaN", "<NA>"):
            if re.search(rf"(?<![\w<]){re.escape(token)}(?![\w>])", text):
                problems.append(f"{label} : « {token} » dans « {text[:100]} »")
        code = INTERNAL_CODE.search(ICON.sub("", text.replace("\\_", "_")))
        if code and "data/README.md" not in text:
            problems.append(f"{label} : code interne « {code[0]} » dans « {text[:100]} »")
    for button in at.download_button:
        file_id = button.proto.deferred_file_id
        if file_id in recorded:
            make, name = recorded[file_id]
            problems += file_problems(make(), f"{label}, {name}")
            files += name.endswith((".csv", ".xlsx", ".parquet"))
    return problems, files


# every page in three territories on its first section, each other section of a page in one territory
@pytest.mark.parametrize(("path", "section", "territoire"),
                         [(p.path, None, territoire) for p in ui.PAGES for territoire in TERRITORIES]
                         + [(p.path, section, "fed-midi-pyrenees") for p in ui.PAGES for section in p.sections[1:]])
def test_every_page_speaks_french_in_tables_captions_and_downloads(built_db, recorded, path, section, territoire):
    at = run(path, territoire, section)
    view = path + (f" · {section}" if section else "")
    problems, files = page_problems(at, recorded, f"{view} ({territoire or 'France'})")
    assert not problems, "\n".join(problems[:30])
    if (path, section) == ("pages/7_sources.py", "Dictionnaire et documents"):
        assert not at.download_button  # shown only: the whole database is in « Téléchargements »
    elif path in {p.path for p in ui.DATA_PAGES}:
        assert files > 0, f"{view} : aucun téléchargement lu"


def test_every_table_of_the_sources_page_downloads_with_french_headers(built_db, recorded):
    at = run("pages/7_sources.py", None, "Téléchargements")
    problems, names = [], set()
    for index in range(len(at.selectbox(key="export_table").options)):
        at.selectbox(key="export_table").select_index(index).run()
        assert not at.exception, [e.value for e in at.exception]
        for button in at.download_button:
            make, name = recorded.get(button.proto.deferred_file_id, (None, ""))
            if name.endswith((".csv", ".xlsx", ".parquet")) and name not in names:
                names.add(name)
                problems += file_problems(make(), name)
    assert not problems, "\n".join(problems[:30])
    assert {"registre-adherents.csv", "labels-qualite-adherents.xlsx", "territoires.parquet",
            "offres-formation.csv", "chiffres-publies.csv"} <= names


def test_a_download_keeps_numbers_as_numbers_under_french_headers(built_db):
    enterprises = db.run_query("export_social_utility_enterprises", {}, con=db.connect(built_db))
    rows = list(csv.reader(io.StringIO(export.table_csv(enterprises).decode("utf-8-sig")), delimiter=";"))
    isa = dict(zip(rows[0], next(r for r in rows if r[0] == "ISA GROUPE")))
    assert (isa["Chiffre d'affaires (€)"], isa["ETP"], isa["Année de création"]) == ("4549860", "186,0", "1987")
    assert isa["Label"] == "non précisé"  # the synthesis says nothing of a label
    tremplin = next(r for r in rows if r[0] == "TREMPLIN 95")
    assert tremplin[rows[0].index("ETP")] == "28,5"
    book = load_workbook(io.BytesIO(export.table_xlsx(enterprises)), read_only=True).active
    header, *values = [list(r) for r in book.iter_rows(values_only=True)]
    assert header[:3] == ["Nom", "Description de la structure", "Type"]
    assert values[4][header.index("Chiffre d'affaires (€)")] == 4549860


def test_a_shown_table_is_french_strings_with_a_dash_for_empty_cells():
    import pandas as pd

    df = pd.DataFrame({"name": ["IRISSE", None], "fte": [56.0, 28.5], "turnover_eur": [708000.0, 4549860.0],
                       "creation_year": [2011, None], "is_demo": [False, True]})
    shown = tables.shown(df)
    assert list(shown.columns) == ["Nom", "ETP", "Chiffre d'affaires (€)", "Année de création", "Démonstration"]
    assert shown.values.tolist() == [
        ["IRISSE", "56,0", fmt.number(708000), "2011", "non"],
        ["—", "28,5", fmt.number(4549860), "—", "oui"]]
    assert fmt.number(4549860) == "4\u202f549\u202f860"


def test_named_members_mark_what_the_documents_do_not_give(built_db):
    members = db.run_query("members_list", {"territory": "FR", "year": 2014}, con=db.connect(built_db))
    appel = members.set_index("name").loc["APPEL EMPLOI"]
    assert appel.type_label == "Associations Intermédiaires (estimé)"
    assert appel.departement == "87 – Haute-Vienne (estimé)"
    assert appel.federation == "COORACE Centre-Limousin"  # the report names its federation
    tifaki = members.set_index("name").loc["Tifaki Hazi"]
    assert tifaki.federation.endswith("(estimé)") and tifaki.estimated == "type, département, COORACE régional"
    irisse = members.set_index("name").loc["IRISSE"]
    assert "(estimé)" not in irisse.type_label + irisse.departement + irisse.federation
    marked = members[members.estimated.notna()]
    assert len(marked) == 24 and not marked.is_demo.any()
    at = run("pages/1_adherents.py", None, "Liste des adhérents")
    shown = next(df.value for df in at.dataframe if "Démonstration" in df.value.columns)
    assert shown.set_index("Nom").loc["ASAC", "Département"] == "65 – Hautes-Pyrénées (estimé)"
    legend = [m.value for m in at.markdown if m.value.startswith("« (estimé) »")]  # under the list
    assert legend and "24 adhérent(s) nommé(s)" in legend[0]
    assert not any("viennent des documents publiés" in c.value for c in (*at.caption, *at.markdown))


def test_the_synthesis_enterprises_say_non_precise_where_the_synthesis_is_silent(built_db):
    at = run("pages/5_utilite_sociale.py", None)
    table = next(df.value for df in at.dataframe if "Entreprise" in df.value.columns and "Label" in df.value.columns)
    labels = dict(zip(table.Entreprise, table.Label))
    assert labels["BOURIANE SOLIDARITE"] == labels["ISA GROUPE"] == labels["ORCHIS"] == "non précisé"
    assert labels["DEFI EMPLOI"] == "CEDRE depuis 2009"
    row = table.set_index("Entreprise").loc["IRISSE"]
    assert (row.ETP, row["Chiffre d'affaires (€)"], row["Création"]) == ("56,0", fmt.number(708000), "2011")


def test_the_data_dictionary_describes_every_table_and_column(built_db):
    dictionary = db.run_query("data_dictionary", {}, con=db.connect(built_db))
    assert len(dictionary) > 150
    undescribed = dictionary[(dictionary.description == "") | (dictionary.table_label == "")]
    assert undescribed.empty, undescribed[["table_name", "column_name"]].values.tolist()
    assert not dictionary.table_name.str.startswith(("duckdb_", "sqlite_", "pragma_")).any()
    assert set(dictionary.data_type) <= {"texte", "entier", "nombre décimal", "vrai / faux", "date", "date et heure"}
