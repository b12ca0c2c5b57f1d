"""Imports and their versions: apply, replay, rollback, the journal and the record of imports in force.

Which imports are in force is the `imports` table inside the database, written in the same
transaction as the imported rows: the atomic swap of the file (os.replace) publishes both at
once. Each import's rows are archived (parquet, flushed to disk) before the swap, so that a
rebuild or a rollback can apply them again. The journal (versions/journal.jsonl) is a
human-readable log, reconciled with the database at every start: never the source of truth.
Rebuilds, imports and rollbacks all hold the same lock (observatoire.build.lock).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import build, db
from observatoire.kinds import IMPORT_SQL
from observatoire.paths import BUILD_SQL_DIR, DATA_DIR, SOURCES_DIR, db_path
from observatoire.validate import Validation, preview

log = logging.getLogger(__name__)
RECORD_SQL = BUILD_SQL_DIR / "05_imports.sql"
JOURNAL_COLUMNS = ["version", "action", "at", "user", "kind", "year", "file", "sha256", "rows", "counts", "note"]


def versions_dir() -> Path:
    return Path(os.environ.get("OBSERVATOIRE_VERSIONS", DATA_DIR / "versions"))


def archive_path(version: str) -> Path:
    """Where the rows of one import are kept, for rebuilds and rollbacks."""
    return versions_dir() / "imports" / f"{version}.parquet"


def journal_path() -> Path:
    return versions_dir() / "journal.jsonl"


# ------------------------------------------------------------------ the record in the database


def imports_in(target: Path) -> list[dict]:
    """The imports a database file records, oldest first; raises duckdb.Error if the file is unreadable.

    Read through a fresh hard link: DuckDB shares one instance per path within a process, so a
    connection the app still holds to the file an import replaced would otherwise answer.
    """
    for attempt in (1, 2):
        link = target.with_name(f".read-{uuid.uuid4().hex}.duckdb")
        os.link(target, link)
        try:
            con = duckdb.connect(str(link), read_only=True)
        except duckdb.Error:
            if link.exists() or attempt == 2:
                raise
            continue  # a writer's clean-up removed the link before it was opened
        finally:
            link.unlink(missing_ok=True)
        try:
            if not con.execute("select count(*) from duckdb_tables() where table_name = 'imports'").fetchone()[0]:
                return []
            cur = con.execute("select * from imports order by seq")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]
        finally:
            con.close()
    return []


def active_imports(target: Path | None = None) -> list[dict]:
    """Imports in force, oldest first, as the served database records them."""
    target = Path(target or db_path())
    return imports_in(target) if target.is_file() else []


def in_force_table(target: Path | None = None) -> pd.DataFrame:
    """The imports in force for the administration page, in French, newest first."""
    columns = {"version": "Version", "kind": "Type", "year": "Année", "file_name": "Fichier",
               "user_name": "Importé par", "imported_at": "Le", "row_count": "Lignes"}
    frame = pd.DataFrame(active_imports(target), columns=list(columns))
    return frame.rename(columns=columns).iloc[::-1].reset_index(drop=True)


# ------------------------------------------------------------------ the journal (a log)


def _read_journal() -> tuple[list[dict], list[str]]:
    """Journal entries in order, and a French message for each line that cannot be read."""
    path = journal_path()
    if not path.is_file():
        return [], []
    entries, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or "version" not in entry or "action" not in entry:
                raise ValueError("champs version et action absents")
        except ValueError as exc:
            problems.append(f"Journal des versions ({path.name}), ligne {number} illisible, ignorée : {exc}.")
            continue
        entries.append(entry)
    return entries, problems


def _append_journal(*entries: dict) -> None:
    """Append entries and flush them; a torn last line (a killed writer) is closed first."""
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as f:
        f.seek(0, os.SEEK_END)
        if f.tell():
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                f.write(b"\n")
        for entry in entries:
            f.write((json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())


def journal_in_force(entries: list[dict]) -> list[str]:
    """Versions in force according to the journal: imports minus what rollbacks cancelled."""
    active: list[str] = []
    for entry in entries:
        if entry["action"] == "import":
            if entry["version"] not in active:
                active.append(entry["version"])
        elif "cancelled" in entry:
            active = [v for v in active if v not in entry["cancelled"]]
        elif entry["version"] in active:  # older journals: a rollback to V cancels V and every later import
            active = active[: active.index(entry["version"])]
    return active


def history() -> pd.DataFrame:
    """The journal of imports and rollbacks, newest first (damaged lines left out, see problems())."""
    entries, _ = _read_journal()
    frame = pd.DataFrame(entries, columns=JOURNAL_COLUMNS) if entries else pd.DataFrame(columns=JOURNAL_COLUMNS)
    return frame.iloc[::-1].reset_index(drop=True)


def problems(target: Path | None = None) -> list[str]:
    """French messages for the administrator: damaged journal lines, missing archives of imports in force."""
    _, messages = _read_journal()
    try:
        in_force = active_imports(target)
    except duckdb.Error as exc:
        return [*messages, f"La base servie est illisible ({exc.__class__.__name__}) : reconstruisez-la avec "
                           "« make data »."]
    messages += [_missing_archive(record) for record in in_force if not archive_path(record["version"]).is_file()]
    return messages


def _missing_archive(record: dict) -> str:
    return (f"Import {record['version']} (fichier {record['file_name']}) : son archive "
            f"{archive_path(record['version'])} est introuvable ; une reconstruction ne pourra pas le réappliquer.")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def reconcile(target: Path) -> list[str]:
    """Make the journal say what the database records (after a kill between the swap and the log); under the lock."""
    try:
        in_base = [r["version"] for r in active_imports(target)] if target.is_file() else None
    except duckdb.Error:
        in_base = None
    if in_base is None:
        return []
    entries, _ = _read_journal()
    in_journal = journal_in_force(entries)
    added = [r for r in active_imports(target) if r["version"] not in in_journal]
    gone = [v for v in in_journal if v not in in_base]
    fixes = [_import_entry(r, None, "inscrit d'après la base : le journal ne l'avait pas noté") for r in added]
    if gone:
        fixes.append({"version": gone[0], "action": "annulé", "at": _now(), "user": "", "cancelled": gone,
                      "note": "absent de la base servie (retour arrière ou reconstruction non notés)"})
    if fixes:
        _append_journal(*fixes)
    return [f"Journal des versions complété d'après la base : {f['action']} {f['version']}." for f in fixes]


# ------------------------------------------------------------------ writing imported rows


def _import_entry(record: dict, counts: dict | None, note: str = "") -> dict:
    return {"version": record["version"], "action": "import", "at": record["imported_at"],
            "user": record["user_name"], "kind": record["kind"], "year": record["year"], "file": record["file_name"],
            "sha256": record["sha256"], "rows": record["row_count"], "counts": counts, "note": note,
            "source_file": record["source_file"], "archive": str(archive_path(record["version"]).name)}


def provenance(record: dict) -> str:
    """« Fichier registre-2015.csv importé le 01/12/2026 par Hélène »: what every page shows as the source."""
    day = datetime.fromisoformat(record["imported_at"]).strftime("%d/%m/%Y")
    return f"Fichier {record['file_name']} importé le {day} par {record['user_name']}"


def _apply_rows(con: duckdb.DuckDBPyConnection, record: dict, rows: pd.DataFrame) -> None:
    """Write one import's rows, its source document and its line in `imports`, in the caller's transaction."""
    year = None if record["year"] is None or pd.isna(record["year"]) else int(record["year"])
    imported_year = datetime.fromisoformat(record["imported_at"]).year
    title = provenance(record)
    con.register("import_rows", rows)
    try:
        db.run_file(con, IMPORT_SQL / f"{record['kind']}.sql", {"year": year, "source": record["source_file"],
                                 "provenance": title[0].lower() + title[1:]})
        db.run_file(con, IMPORT_SQL / "record.sql", {
            "version": record["version"], "seq": int(record["seq"]), "kind": record["kind"], "year": year,
            "file_name": record["file_name"], "sha256": record["sha256"], "user_name": record["user_name"],
            "imported_at": record["imported_at"], "row_count": int(record["row_count"]),
            "source": record["source_file"], "title": title, "doc_year": year or imported_year})
    finally:
        con.unregister("import_rows")


def replay_records(records: list[dict], con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply archived imports to a freshly built database, each in its own transaction; French warnings."""
    messages = []
    for record in records:
        path = archive_path(record["version"])
        if not path.is_file():
            messages.append(_missing_archive(record).replace("une reconstruction ne pourra pas le réappliquer",
                                                             "il n'a pas été réappliqué"))
            continue
        con.execute("begin transaction")
        try:
            _apply_rows(con, record, pd.read_parquet(path))
        except (duckdb.Error, OSError, ValueError) as exc:
            con.execute("rollback")
            messages.append(f"Import {record['version']} (fichier {record['file_name']}) non réappliqué : "
                            f"ses lignes ne conviennent plus à la base reconstruite ({exc}).")
            continue
        con.execute("commit")
    for message in messages:
        log.warning(message)
    return messages


def _journal_records() -> list[dict]:
    """Imports in force according to the journal (when the served database cannot say), as records."""
    entries, _ = _read_journal()
    by_version = {e["version"]: e for e in entries if e["action"] == "import"}
    return [{"version": v, "seq": i, "kind": by_version[v]["kind"], "year": by_version[v].get("year"),
             "file_name": by_version[v]["file"], "sha256": by_version[v]["sha256"], "user_name": by_version[v]["user"],
             "imported_at": by_version[v]["at"], "row_count": by_version[v].get("rows") or 0,
             "source_file": by_version[v].get("source_file") or f"{by_version[v]['file']} (import {v})"}
            for i, v in enumerate(journal_in_force(entries), start=1)]


def replay(con: duckdb.DuckDBPyConnection, served: Path) -> list[str]:
    """The build's replay: re-apply the imports the served database records (or, failing that, the journal's)."""
    try:
        return replay_records(active_imports(served), con)
    except duckdb.Error as exc:
        note = (f"La base servie est illisible ({exc.__class__.__name__}) : les imports en vigueur sont repris "
                "du journal des versions.")
        log.warning(note)
        return [note, *replay_records(_journal_records(), con)]


def start(target: Path | None = None, blocking: bool = False) -> list[str]:
    """Remove what killed writers left and reconcile the journal; the app calls it at start-up (never waits)."""
    target = Path(target or db_path())
    with build.lock(target, blocking=blocking) as held:
        return _start_locked(target) if held else []


def _start_locked(target: Path) -> list[str]:
    build.remove_leftovers(target)
    for part in (versions_dir() / "imports").glob("*.part"):
        part.unlink(missing_ok=True)
    return reconcile(target)


def rebuild(target: Path | None = None, sources_dir: Path = SOURCES_DIR, verbose: bool = False) -> Path:
    """`make data`: rebuild from data/sources plus the imports in force, under the lock."""
    target = Path(target) if target else db_path()
    with build.lock(target):
        _start_locked(target)
        build.build_locked(target, sources_dir, verbose, replay=replay)
        reconcile(target)
    return target


# ------------------------------------------------------------------ the administrator's actions


def _archive(rows: pd.DataFrame, version: str) -> None:
    """Keep the rows of an import on disk (flushed) before the database that holds them is published."""
    path = archive_path(version)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial_path = path.with_suffix(".parquet.part")
    rows.to_parquet(partial_path, index=False)
    build.fsync_path(partial_path)
    os.replace(partial_path, path)
    build.fsync_path(path.parent)


def _new_record(validation: Validation, user: str, target: Path) -> dict:
    in_force = imports_in(target)
    now = datetime.now().astimezone()
    version = f"{now:%Y%m%d-%H%M%S-%f}-{validation.sha256[:8]}"
    return {"version": version, "seq": max([int(r["seq"]) for r in in_force], default=0) + 1,
            "kind": validation.kind.name, "year": validation.year, "file_name": validation.filename,
            "sha256": validation.sha256, "user_name": user, "imported_at": now.isoformat(timespec="seconds"),
            "row_count": len(validation.rows), "source_file": f"{validation.filename} (import {version})"}


def apply(validation: Validation, user: str, target: Path | None = None) -> dict:
    """Import validated rows: archive them, write them and their record into a copy, check it, swap it in."""
    if not validation.ok:
        raise ValueError("Import refusé : le fichier comporte des erreurs.")
    target = Path(target or db_path())
    counts = {k: len(v) for k, v in preview(validation, target).items()}
    with build.lock(target):
        _start_locked(target)
        record = _new_record(validation, user, target)
        _archive(validation.rows, record["version"])
        tmp = build.temp_file(target, ".import-")
        try:
            shutil.copyfile(target, tmp)
            _write_import(tmp, record, validation.rows)
            build.publish(tmp, target)
        except BaseException:
            archive_path(record["version"]).unlink(missing_ok=True)
            raise
        finally:
            build.discard(tmp)
        entry = _import_entry(record, counts)
        _append_journal(entry)
    return entry


def _write_import(path: Path, record: dict, rows: pd.DataFrame) -> None:
    con = duckdb.connect(str(path))
    try:
        db.run_file(con, RECORD_SQL)  # a database older than the record
        con.execute("begin transaction")
        _apply_rows(con, record, rows)
        found = build.run_checks(con, "db_")
        if found:
            con.execute("rollback")
            raise build.BuildError(found)
        con.execute("commit")
        con.execute("checkpoint")
    except duckdb.ConstraintException as exc:
        raise ValueError(f"Import refusé par la base : {exc}") from exc
    finally:
        con.close()


def rollback(version: str, user: str, target: Path | None = None, sources_dir: Path = SOURCES_DIR) -> dict:
    """Cancel the import `version` and every later one: rebuild from the sources plus the earlier imports."""
    target = Path(target or db_path())
    with build.lock(target):
        _start_locked(target)
        in_force = active_imports(target)
        versions = [r["version"] for r in in_force]
        if version not in versions:
            raise ValueError(f"Version inconnue ou déjà annulée : {version}")
        keep = in_force[: versions.index(version)]
        messages: list[str] = []

        def replay_kept(con: duckdb.DuckDBPyConnection, _served: Path) -> list[str]:
            messages.extend(replay_records(keep, con))
            return messages

        build.build_locked(target, sources_dir, replay=replay_kept)
        entry = {"version": version, "action": "retour arrière", "at": _now(), "user": user,
                 "cancelled": versions[versions.index(version):], "note": " ".join(messages)}
        _append_journal(entry)
        reconcile(target)
    return entry

