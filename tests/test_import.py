"""Imports: every bad file is refused with its own French message and the database unchanged;
a good file can be imported and rolled back exactly (faults: tests/test_faults.py)."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from observatoire import auth, build, export, kinds, validate, versions
from tests.test_bad_files import xlsx

MEMBERS_HEADER = "member_id;name;structure_type;commune_insee;creation_year;fte;turnover_eur"
GOOD_MEMBERS = (MEMBERS_HEADER + "\nm-irisse;IRISSE;GES;09261;2011;56;708000\n"
                "n-1;Nouvelle association;AI;31555;2015;12,5;300000\n").encode()


# The corpus of bad files and the bombs: tests/test_bad_files.py. Accepted French files: tests/test_upload.py.


def test_errors_name_the_row_and_column(served):
    data = (MEMBERS_HEADER + "\nm1;A;AI;31555;;;\nm2;B;AI;99999;;;\n").encode()
    issue = validate.validate("members", "x.csv", data, 2015, target=served).issues[0]
    assert (issue.row, issue.column) == (3, "commune_insee")
    assert str(issue).startswith("Ligne 3, colonne « commune_insee » :")


def test_every_error_is_listed_at_once(served):
    data = (MEMBERS_HEADER + "\nm1;;XX;99999;abc;-1;\n").encode()
    issues = validate.validate("members", "x.csv", data, 2015, target=served).issues
    assert {i.column for i in issues} >= {"name", "structure_type", "commune_insee", "creation_year", "fte"}


def content(path: Path) -> dict[str, list]:
    """Every row of every table (build_info aside: it holds the build time), sorted, for comparison."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {t: sorted(map(repr, con.execute(f'select * from "{t}"').fetchall())) for t in tables
                if t != "build_info"}
    finally:
        con.close()


def test_preview_then_import_then_rollback_restores_the_database(served):
    before = content(served)
    validation = validate.validate("members", "registre-2015.csv", GOOD_MEMBERS, 2015, target=served)
    assert validation.ok, [str(i) for i in validation.issues]
    changes = validate.preview(validation, served)
    assert {k: len(v) for k, v in changes.items()} == {"ajoutées": 2, "modifiées": 0, "supprimées": 0}
    entry = versions.apply(validation, "admin", target=served)
    con = duckdb.connect(str(served), read_only=True)
    assert con.execute("select count(*), count(*) filter (where is_demo) from members where year = 2015"
                       ).fetchone() == (2, 0)
    assert con.execute("select count(*) from members where year = 2014").fetchone()[0] == 523
    con.close()
    journal = versions.history()
    assert journal.iloc[0][["action", "user", "file", "sha256"]].tolist() == [
        "import", "admin", "registre-2015.csv", validation.sha256]
    assert journal.iloc[0]["counts"] == {"ajoutées": 2, "modifiées": 0, "supprimées": 0}
    assert [r["version"] for r in versions.active_imports(served)] == [entry["version"]]
    versions.rollback(entry["version"], "admin", target=served)
    assert content(served) == before
    assert versions.active_imports(served) == []
    assert versions.history().iloc[0]["action"] == "retour arrière"


def test_reimporting_a_year_shows_changes_and_removals(served):
    versions.apply(validate.validate("members", "a.csv", GOOD_MEMBERS, 2015, target=served), "admin", served)
    second = (MEMBERS_HEADER + "\nm-irisse;IRISSE;GES;09261;2011;60;708000\n").encode()
    changes = validate.preview(validate.validate("members", "b.csv", second, 2015, target=served), served)
    assert {k: len(v) for k, v in changes.items()} == {"ajoutées": 0, "modifiées": 1, "supprimées": 1}


def test_a_rebuild_replays_the_imports_in_force(served, monkeypatch):
    versions.apply(validate.validate("members", "a.csv", GOOD_MEMBERS, 2015, target=served), "admin", served)
    with pytest.raises(build.BuildError, match="la base contient 1 import\\(s\\) d'administration"):
        build.build(served)  # without the replay, the build refuses to drop the import
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))
    assert build.main([]) == 0  # `make data`: the served database, imports re-applied
    con = duckdb.connect(str(served), read_only=True)
    assert con.execute("select count(*) from members where year = 2015").fetchone()[0] == 2
    assert con.execute("select count(*) from imports").fetchone()[0] == 1
    con.close()


def test_xlsx_template_has_drop_down_lists(served):
    book = load_workbook(io.BytesIO(kinds.template_xlsx("members", served)))
    sheet = book["données"]
    assert [c.value for c in sheet[1]] == kinds.KINDS["members"].columns
    validations = sheet.data_validations.dataValidation
    assert any("C2" in str(v.sqref) for v in validations)  # structure_type column
    listes = book["listes"]
    assert "AI" in [c.value for c in listes["A"]]


def test_xlsx_upload_with_values_is_accepted(served):
    data = xlsx([MEMBERS_HEADER.split(";"), ["m-x", "Atelier", "ACI", "31555", 2012, 4.5, 120000]])
    validation = validate.validate("members", "registre.xlsx", data, 2015, target=served)
    assert validation.ok, [str(i) for i in validation.issues]
    assert validation.rows.creation_year.iloc[0] == 2012


def test_csv_template_is_the_header():
    text = kinds.template_csv("certifications").decode("utf-8-sig")
    assert text.strip() == "member_id;scheme;level;year;event"


def test_exports_neutralise_formula_injection():
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+33", "-2", "@SUM(A1)", "Normal"], "n": [1, 2, 3, 4, 5]})
    text = export.to_csv(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+33" in text and "'@SUM" in text and "\nNormal;5" in text
    book = load_workbook(io.BytesIO(export.to_xlsx(df)))
    assert book.active["A2"].value == "'=HYPERLINK(\"http://x\")"


def test_passwords_are_salted_hashes(tmp_path):
    entry = auth.make_entry("delegue", "un mot de passe long")
    assert "un mot de passe long" not in str(entry) and len(entry["salt"]) == 32
    assert auth.verify(entry, "delegue", "un mot de passe long")
    assert not auth.verify(entry, "delegue", "un autre mot de passe")
    assert not auth.verify(None, "delegue", "un mot de passe long")
    with pytest.raises(ValueError, match="12 caractères"):
        auth.make_entry("delegue", "court")
    path = tmp_path / "secrets.toml"
    auth.write_secrets(entry, path)
    assert oct(path.stat().st_mode)[-3:] == "600"
