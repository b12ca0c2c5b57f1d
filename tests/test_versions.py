"""Versions: the imports in force live in the database, every imported row shows where its kind shows
with its source, rollbacks keep corrections made in the sources, a damaged journal or a lost archive
never blocks a rebuild, and killed writers leave nothing behind."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from observatoire import build, db, validate, versions
from observatoire.paths import ROOT

MEMBERS = (b"member_id;name;structure_type;commune_insee;creation_year;fte;turnover_eur\n"
           b"m-irisse;IRISSE;GES;09261;2011;56;708000\n"
           b"n-1;Nouvelle association;AI;31555;2015;12,5;300000\n")
PROJECTS = ("project_id,name,carrier,commune_insee,axis_id,summary\n"
            "p-jardins,Jardins partagés,Association Graines,31555,2,Des jardins d'insertion à Toulouse\n").encode()
LABELS = b"member_id,scheme,level,year,event\nn-1,CEDRE,,2015,certification\n"
FIGURES = ("theme,indicator,label,category,category_label,value,unit,year,territory,source_file,section,"
           "original_text,note\ntraining,trainees,Stagiaires formés,,,1300,nombre,2015,FR,"
           "004_9797810c7b6b2072.txt,Formation 2015,1300 stagiaires,\n").encode()


def day(entry: dict) -> str:
    """The date the pages print for an import: the day it was recorded (not the day the test module loaded)."""
    return datetime.fromisoformat(entry["at"]).strftime("%d/%m/%Y")



def load(served: Path, kind: str, name: str, data: bytes, year: int | None = None, user: str = "Hélène") -> dict:
    validation = validate.validate(kind, name, data, year, target=served)
    assert validation.ok, [str(i) for i in validation.issues]
    return versions.apply(validation, user, target=served)


def query(served: Path, name: str, **params):
    con = db.connect(served)
    try:
        return db.run_query(name, params, con)
    finally:
        con.close()


def recorded(served: Path) -> list[str]:
    con = duckdb.connect(str(served), read_only=True)
    try:
        return [v for (v,) in con.execute("select version from imports order by seq").fetchall()]
    finally:
        con.close()


def test_an_imported_project_shows_on_the_project_queries_with_its_source(served):
    today = day(load(served, "projects", "projets-2015.csv", PROJECTS))
    for territory in ("FR", "dep-31", "fed-midi-pyrenees"):
        projects = query(served, "innovation_projects", territory=territory, axis=0)
        row = projects[projects.project_id == "p-jardins"].iloc[0]
        assert row.source == (f"Fichier projets-2015.csv importé le {today} par Hélène — Import des projets — "
                              "« Des jardins d'insertion à Toulouse »")
        assert row.place == "Toulouse (31)"
    assert "p-jardins" not in set(query(served, "innovation_projects", territory="dep-75", axis=0).project_id)


def test_imported_members_labels_and_figures_show_with_their_source(served):
    register_day = day(load(served, "members", "registre-2015.csv", MEMBERS, 2015))
    labels_day = day(load(served, "certifications", "labels-2015.csv", LABELS, user="Jean-Noël"))
    figures_day = day(load(served, "figures", "chiffres-2015.csv", FIGURES))
    members = query(served, "members_list", territory="dep-31", year=2015)
    assert members[["name", "label_scheme", "is_demo", "source"]].values.tolist() == [
        ["Nouvelle association", "CEDRE", False,
         f"Fichier registre-2015.csv importé le {register_day} par Hélène — Import du registre des adhérents"]]
    assert query(served, "members_points", territory="FR", year=2015).name.tolist().count("IRISSE") == 1
    assert query(served, "territory_profile", territory="dep-31", year=2015)[["members", "certified"]
                                                                            ].values.tolist() == [[1, 1]]
    assert query(served, "new_certified_members", territory="FR", year=2015).name.tolist() == ["Nouvelle association"]
    by_scheme = query(served, "certified_by_scheme", territory="FR", year=2015)
    assert by_scheme.values.tolist() == [["CEDRE", 2, 0]]  # with IRISSE, certified since 2014
    trainees = query(served, "key_figures", year=2015).set_index("label").loc["Stagiaires formé·es"]
    assert (trainees.value, trainees.year, trainees.previous_value) == (1300, 2015, 1235)
    assert trainees.source == (f"Rapport d'activité 2014 — Formation 2015 (fichier chiffres-2015.csv importé le "
                               f"{figures_day} par Hélène) — « 1300 stagiaires »")
    documents = query(served, "source_documents").short_title.tolist()
    assert f"Fichier labels-2015.csv importé le {labels_day} par Jean-Noël" in documents


def test_the_record_of_imports_is_in_the_database_and_the_journal_follows_it(served):
    first = load(served, "projects", "projets.csv", PROJECTS)
    second = load(served, "members", "registre-2015.csv", MEMBERS, 2015)
    assert recorded(served) == [first["version"], second["version"]]
    assert [r["version"] for r in versions.active_imports(served)] == recorded(served)
    record = versions.active_imports(served)[1]
    assert (record["kind"], record["year"], record["file_name"], record["user_name"], record["row_count"]) == (
        "members", 2015, "registre-2015.csv", "Hélène", 2)
    assert versions.archive_path(second["version"]).is_file()
    # a kill between the swap and the journal write: the journal misses the last import
    journal = versions.journal_path()
    journal.write_text(journal.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert versions.start(served) == [f"Journal des versions complété d'après la base : import {second['version']}."]
    entries, _ = versions._read_journal()
    assert versions.journal_in_force(entries) == recorded(served)


def test_rollback_keeps_a_correction_made_in_the_sources_and_the_earlier_imports(served, sources_copy):
    build.build(served, sources_dir=sources_copy)
    kept = load(served, "projects", "projets.csv", PROJECTS)
    cancelled = load(served, "members", "registre-2015.csv", MEMBERS, 2015)
    # a correction in the sources after the imports: 1235 trainees become 1236
    path = sources_copy / "figures" / "training.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(",1235,") == 1
    path.write_text(text.replace(",1235,", ",1236,"), encoding="utf-8")
    entry = versions.rollback(cancelled["version"], "Hélène", target=served, sources_dir=sources_copy)
    assert entry["cancelled"] == [cancelled["version"]]
    assert recorded(served) == [kept["version"]]
    con = duckdb.connect(str(served), read_only=True)
    assert con.execute("select value from figures_published where indicator = 'trainees'").fetchall() == [(1236,)]
    assert con.execute("select count(*) from members where year = 2015").fetchone()[0] == 0
    assert con.execute("select count(*) from innovation_projects where project_id = 'p-jardins'").fetchone()[0] == 1
    con.close()
    with pytest.raises(ValueError, match="Version inconnue ou déjà annulée"):
        versions.rollback(cancelled["version"], "Hélène", target=served, sources_dir=sources_copy)
    assert versions.history().action.tolist()[:3] == ["retour arrière", "import", "import"]


def test_a_torn_journal_line_gets_a_french_message_and_the_rebuild_goes_on(served):
    entry = load(served, "projects", "projets.csv", PROJECTS)
    with open(versions.journal_path(), "a", encoding="utf-8") as f:
        f.write('{"version": "2026')  # a writer killed mid-line
    assert versions.problems(served) == [
        "Journal des versions (journal.jsonl), ligne 2 illisible, ignorée : Unterminated string starting at: "
        "line 1 column 13 (char 12)."]
    versions.rebuild(served)
    assert recorded(served) == [entry["version"]]
    second = load(served, "members", "registre-2015.csv", MEMBERS, 2015)  # appended after the torn line
    assert versions.history().version.tolist()[:2] == [second["version"], entry["version"]]


def test_a_missing_archive_gets_a_french_message_and_the_other_imports_are_rebuilt(served, capfd):
    lost = load(served, "projects", "projets.csv", PROJECTS)
    kept = load(served, "members", "registre-2015.csv", MEMBERS, 2015)
    versions.archive_path(lost["version"]).unlink()
    message = (f"Import {lost['version']} (fichier projets.csv) : son archive {versions.archive_path(lost['version'])} "
               "est introuvable")
    assert [m.split(" ; ")[0] for m in versions.problems(served)] == [message]
    versions.rebuild(served)
    assert f"{message} ; il n'a pas été réappliqué." in capfd.readouterr().err
    assert recorded(served) == [kept["version"]]
    entries, _ = versions._read_journal()
    assert versions.journal_in_force(entries) == [kept["version"]]


def test_an_unreadable_served_database_is_rebuilt_with_the_journal(served):
    entry = load(served, "projects", "projets.csv", PROJECTS)
    served.write_bytes(b"not a database")
    versions.rebuild(served)
    assert recorded(served) == [entry["version"]]


def test_leftover_temporary_files_are_removed_at_the_next_start(served):
    leftovers = [served.parent / name for name in (
        ".import-abc.duckdb", ".import-abc.duckdb.wal", ".build-x.duckdb", ".rollback-y.duckdb")]
    for path in leftovers:
        path.write_bytes(b"x" * 1000)
    assert versions.start(served) == []
    assert not any(p.exists() for p in leftovers)
    for path in leftovers:
        path.write_bytes(b"x")
    load(served, "projects", "projets.csv", PROJECTS)  # every writer starts with the clean-up
    assert not any(p.exists() for p in leftovers)


def test_start_does_not_wait_for_a_writer(served):
    leftover = served.parent / ".import-busy.duckdb"
    leftover.write_bytes(b"x")
    with build.lock(served):
        assert versions.start(served) == []
        assert leftover.exists()  # it may be the writer's own file


def test_runtime_files_are_ignored_by_git():
    for name in ("data/.observatoire.duckdb.lock", "data/.import-a1b2.duckdb", "data/.import-a1b2.duckdb.wal",
                 "data/.build-x.duckdb", "data/.rollback-x.duckdb", "data/.read-x.duckdb",
                 "data/versions/journal.jsonl", "data/versions/imports/v.parquet"):
        result = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT)
        assert result.returncode == 0, f"{name} is not ignored by git"


def test_the_versions_tab_shows_problems_the_imports_in_force_and_rolls_back(served, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from observatoire import auth

    secrets = tmp_path / "secrets.toml"
    auth.write_secrets(auth.make_entry("admin", "mot de passe de test très long"), secrets)
    monkeypatch.setenv("OBSERVATOIRE_SECRETS", str(secrets))
    monkeypatch.setenv("OBSERVATOIRE_RUNTIME", str(tmp_path / "runtime"))
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))
    entry = load(served, "projects", "projets-[x](http://evil.example).csv", PROJECTS)
    with open(versions.journal_path(), "a", encoding="utf-8") as f:
        f.write("{torn\n")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/9_administration.py")
    at.session_state["admin_user"] = "Hélène"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [
        "Journal des versions (journal.jsonl), ligne 2 illisible, ignorée : Expecting property name enclosed "
        "in double quotes: line 1 column 2 (char 1)."]
    in_force = at.dataframe[0].value
    assert in_force[["Version", "Fichier", "Importé par"]].values.tolist() == [
        [entry["version"], "projets-[x](http://evil.example).csv", "Hélène"]]
    at.button(key="confirm_rollback").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [f"Import(s) annulé(s) : {entry['version']}."]
    assert versions.active_imports(served) == []  # (the page's own connection pins the old file in this process)
