"""Files as French spreadsheet software writes them are accepted, read to the right values, and imported;
validation runs once per uploaded file; a 20,000-row register validates in seconds (measured)."""

from __future__ import annotations

import io
import time

import duckdb
import pytest
from openpyxl import Workbook

from observatoire import geocode, kinds, upload, validate, versions

FRENCH_HEADER = "Identifiant;Nom;Type de structure;Code INSEE;Année de création;ETP;Chiffre d'affaires (€)"
FIGURES_HEADER = "theme;indicator;label;category;category_label;value;unit;year;territory;source_file;section;" \
                 "original_text;note"
FIG = "004_9797810c7b6b2072.txt;Import 2015;texte"



def excel_csv(*lines: str, eol: str = "\r\n", encoding: str = "cp1252") -> bytes:
    """What French Excel writes as « CSV (séparateur : point-virgule) »."""
    return (eol.join(lines) + eol).encode(encoding)


def accepted(served, kind: str, data: bytes, filename: str = "fichier.csv", year: int | None = 2015):
    result = validate.validate(kind, filename, data, year, target=served)
    assert result.ok, [str(i) for i in result.issues]
    return result


def test_french_excel_csv_cp1252_semicolon_crlf_with_french_headers(served):
    data = excel_csv(FRENCH_HEADER, "m-1;Équipe d'insertion « Cœur »;AI;31555;2001;12,5;1\xa0234\xa0567,5",
                     "m-2;Atelier;ACI;9261;;;")
    assert data.decode("cp1252") and b"\r\n" in data and b"\xc9quipe" in data  # really Windows-1252
    rows = accepted(served, "members", data).rows
    assert rows[["member_id", "name", "commune_insee", "commune_name"]].values.tolist() == [
        ["m-1", "Équipe d'insertion « Cœur »", "31555", "Toulouse"], ["m-2", "Atelier", "09261", "Saint-Girons"]]
    assert rows.fte.iloc[0] == 12.5 and rows.turnover_eur.iloc[0] == 1_234_567.5
    assert rows.creation_year.iloc[0] == 2001 and rows.creation_year.isna().iloc[1]
    entry = versions.apply(validate.validate("members", "registre.csv", data, 2015, target=served), "admin", served)
    assert entry
    con = duckdb.connect(str(served), read_only=True)
    assert con.execute("select name, fte, turnover_eur from members where year = 2015 order by member_id"
                       ).fetchall() == [("Équipe d'insertion « Cœur »", 12.5, 1234567.5), ("Atelier", None, None)]
    con.close()


@pytest.mark.parametrize(("label", "data"), [
    ("CR seul (Excel pour Mac)", excel_csv(FRENCH_HEADER, "m-1;Équipe;AI;31555;;;", eol="\r")),
    ("LF", excel_csv(FRENCH_HEADER, "m-1;Équipe;AI;31555;;;", eol="\n")),
    ("UTF-8 avec BOM, virgules", b"\xef\xbb\xbf" + excel_csv(FRENCH_HEADER.replace(";", ","),
                                                               "m-1,Équipe,AI,31555,,,", encoding="utf-8")),
    ("UTF-8 sans BOM", excel_csv(FRENCH_HEADER, "m-1;Équipe;AI;31555;;;", encoding="utf-8")),
    ("titres en capitales, sans accents, espaces", excel_csv(
        " MEMBER-ID ; NAME;Structure Type;COMMUNE INSEE;ANNEE DE CREATION;etp;Chiffre d'Affaires",
        "m-1;Équipe;AI;31555;;;")),
    ("colonnes vides en fin de ligne", excel_csv(FRENCH_HEADER + ";;", "m-1;Équipe;AI;31555;;;;;", ";;;;;;;;")),
    ("colonnes facultatives absentes", excel_csv("member_id;name;structure_type;commune_insee", "m-1;Équipe;AI;31555")),
    ("lignes raccourcies par Excel", excel_csv(FRENCH_HEADER, "m-1;Équipe;AI;31555")),
    ("tabulations", excel_csv(FRENCH_HEADER.replace(";", "\t"), "m-1\tÉquipe\tAI\t31555\t\t\t")),
    ("cellule sur deux lignes (Alt+Entrée)", excel_csv(FRENCH_HEADER, 'm-1;"Équipe\nd\'insertion";AI;31555;;;')),
])
def test_what_spreadsheets_write_is_accepted(served, label, data):
    rows = accepted(served, "members", data).rows
    assert rows.member_id.tolist() == ["m-1"] and rows.name.iloc[0].startswith("Équipe"), label


def test_a_plain_negative_number_is_a_number_not_a_formula(served):
    data = excel_csv("theme;indicator;label;category;category_label;value;unit;year;territory;source_file;section;"
                     "original_text;note", f"training;trainees;Stagiaires;;;-3;nombre;2015;FR;{FIG};")
    issues = [str(i) for i in validate.validate("figures", "f.csv", data, target=served).issues]
    assert issues and not any("formule" in i for i in issues)
    assert any("valeur positive" in i for i in issues), issues


@pytest.mark.parametrize(("value", "expected"), [("2 812", 2812.0), ("2812,5", 2812.5), ("2\u202f812,25", 2812.25),
                                                  ("2\xa0812", 2812.0), ("+12", 12.0), ("1e3", 1000.0)])
def test_figures_take_french_numbers_in_every_numeric_column(served, value, expected):
    data = excel_csv(FIGURES_HEADER, f"training;trainees;Stagiaires;;;{value};nombre;2 015;FR;{FIG};",
                     encoding="utf-8")
    rows = accepted(served, "figures", data, year=None).rows
    assert rows.value.iloc[0] == expected and rows.year.iloc[0] == 2015
    versions.apply(validate.validate("figures", "f.csv", data, target=served), "admin", served)
    con = duckdb.connect(str(served), read_only=True)
    assert con.execute("select value from figures_published where indicator = 'trainees' and year = 2015"
                       ).fetchone() == (expected,)
    con.close()


def test_projects_and_labels_with_french_headers(served):
    projects = excel_csv("Identifiant;Nom;Porteur;Code INSEE;Axe;Résumé", "p-new;Projet;;31555;2;Un résumé")
    rows = accepted(served, "projects", projects, year=None).rows
    assert rows[["project_id", "axis_id", "dep_id"]].values.tolist() == [["p-new", 2, "dep-31"]]
    labels = excel_csv("Adhérent;Label;Niveau;Année;Événement", "m-irisse;CEDRE;;2 015;certification")
    assert accepted(served, "certifications", labels, year=None).rows.year.tolist() == [2015]


def test_xlsx_with_french_headers_typed_numbers_and_a_title_free_first_row(served):
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append([])
    sheet.append(FRENCH_HEADER.split(";"))
    sheet.append(["m-x", "Atelier", "ACI", 31555, 2012, 4.5, 120000])
    sheet.append(["m-y", "Régie", "RQ", "09261", "2013", "3,5", "1 000"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = accepted(served, "members", buffer.getvalue(), "registre.xlsx").rows
    assert rows[["member_id", "commune_insee", "creation_year", "fte", "turnover_eur"]].values.tolist() == [
        ["m-x", "31555", 2012, 4.5, 120000.0], ["m-y", "09261", 2013, 3.5, 1000.0]]


def test_header_normalisation_and_aliases():
    members = kinds.KINDS["members"]
    assert kinds.normalise_header(" Année de création ") == "annee_de_creation"
    assert [members.column_for(h) for h in ("MEMBER-ID", "Chiffre d’affaires (€)", "N° adhérent", "code insee",
                                            "couleur")] == ["member_id", "turnover_eur", "member_id",
                                                            "commune_insee", None]


def test_decoding_and_delimiter():
    assert upload.decode("é;€".encode("cp1252")) == "é;€"
    assert upload.decode(b"\xef\xbb\xbf\xc3\xa9") == "é"
    assert upload.sniff_delimiter('a;"b,c";d\r\n1,2') == ";"
    assert upload.sniff_delimiter("a,b,c") == ","


def test_validation_runs_once_per_file_and_the_confirm_rerun_reuses_it(served):
    store: dict = {}
    data = excel_csv(FRENCH_HEADER, "m-1;Équipe;AI;31555;;;")
    first, changes = validate.once(store, "members", "a.csv", data, 2015, served)
    again, same_changes = validate.once(store, "members", "a.csv", data, 2015, served)
    assert again is first and same_changes is changes and len(changes["ajoutées"]) == 1
    other_year, _ = validate.once(store, "members", "a.csv", data, 2016, served)
    assert other_year is not first and other_year.year == 2016


def register(size: int, con) -> bytes:
    """A valid register of `size` members in French Excel CSV, over communes the observatory covers."""
    deps = set(con.execute("select code from departements").df().code)
    communes = geocode.communes_table()
    communes = communes[communes.lon.notna() & communes.dep_code.isin(deps)].code.tolist()
    types = con.execute("select code from structure_types").df().code.tolist()
    lines = [FRENCH_HEADER] + [
        f"m-{i};Structure n° {i};{types[i % len(types)]};{communes[i * 7 % len(communes)]};{1950 + i % 60};"
        f"{i % 90},5;{i * 13 % 999_999} 000" for i in range(size)]
    return excel_csv(*lines)


def test_a_20000_row_register_validates_in_seconds(served):
    con = duckdb.connect(str(served), read_only=True)
    data = register(20_000, con)
    con.close()
    start = time.perf_counter()
    result = validate.validate("members", "registre.csv", data, 2015, target=served)
    elapsed = time.perf_counter() - start
    print(f"\nregistre de 20 000 lignes ({len(data) / 1e6:.1f} Mo) : validé en {elapsed:.2f} s")
    assert result.ok, [str(i) for i in result.issues[:5]]
    assert len(result.rows) == 20_000 and result.rows.dep_id.notna().all()
    assert elapsed < 8
