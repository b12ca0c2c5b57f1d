"""Apply a validated import with an atomic swap of the database; the journal, versions and rollback.

The served database is never written in place: an import copies it, applies the rows to
the copy, checks the copy, archives the served file, then swaps the copy in with os.replace.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import build, db
from observatoire.kinds import IMPORT_SQL
from observatoire.paths import DATA_DIR, db_path
from observatoire.validate import Validation, preview


def versions_dir() -> Path:
    return Path(os.environ.get("OBSERVATOIRE_VERSIONS", DATA_DIR / "versions"))



@contextmanager
def _lock(target: Path):
    lock_path = target.with_name(f".{target.name}.lock")
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _log(entry: dict) -> None:
    versions_dir().mkdir(parents=True, exist_ok=True)
    with open(versions_dir() / "journal.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def history() -> pd.DataFrame:
    """The import and rollback journal, newest first."""
    path = versions_dir() / "journal.jsonl"
    if not path.is_file():
        return pd.DataFrame(columns=["version", "action", "at", "user", "kind", "year", "file", "sha256"])
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pd.DataFrame(rows).iloc[::-1].reset_index(drop=True)


def apply(validation: Validation, user: str, target: Path | None = None) -> dict:
    """Import validated rows: build a new file, check it, archive the served one, swap atomically."""
    if not validation.ok:
        raise ValueError("Import refusé : le fichier comporte des erreurs.")
    target = Path(target or db_path())
    counts = {k: len(v) for k, v in preview(validation, target).items()}
    with _lock(target):
        fd, tmp_name = tempfile.mkstemp(prefix=".import-", suffix=".duckdb", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.register("import_rows", validation.rows)
                con.execute("begin transaction")
                sql = (IMPORT_SQL / f"{validation.kind.name}.sql").read_text(encoding="utf-8")
                db.run_script(con, sql, {"year": validation.year, "source": validation.filename})
                problems = build.run_checks(con, "db_")
                if problems:
                    con.execute("rollback")
                    raise build.BuildError(problems)
                con.execute("commit")
                con.execute("checkpoint")
            except duckdb.ConstraintException as exc:
                raise ValueError(f"Import refusé par la base : {exc}") from exc
            finally:
                con.close()
            _pause_for_tests()
            version = time.strftime("%Y%m%d-%H%M%S") + f"-{validation.sha256[:8]}"
            archive = versions_dir() / f"avant-{version}.duckdb"
            (versions_dir() / "imports").mkdir(parents=True, exist_ok=True)
            validation.rows.to_parquet(versions_dir() / "imports" / f"{version}.parquet", index=False)
            shutil.copyfile(target, archive)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    entry = {"version": version, "action": "import", "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "user": user,
             "kind": validation.kind.name, "year": validation.year, "file": validation.filename,
             "sha256": validation.sha256, "counts": counts, "archive": archive.name,
             "database_sha256": _sha256(target)}
    _log(entry)
    return entry


def rollback(version: str, user: str, target: Path | None = None) -> dict:
    """Put back the database as it was before the import `version`."""
    target = Path(target or db_path())
    archive = versions_dir() / f"avant-{version}.duckdb"
    if not re.fullmatch(r"[0-9a-f-]+", version) or not archive.is_file():
        raise ValueError(f"Version inconnue : {version}")
    with _lock(target):
        fd, tmp_name = tempfile.mkstemp(prefix=".rollback-", suffix=".duckdb", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            shutil.copyfile(archive, tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    entry = {"version": version, "action": "retour arrière", "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
             "user": user, "kind": "", "year": None, "file": archive.name, "sha256": _sha256(target)}
    _log(entry)
    return entry


def active_imports() -> list[dict]:
    """Imports still in force, oldest first (a rollback to V cancels V and every later import)."""
    active: list[dict] = []
    for entry in history().iloc[::-1].to_dict("records"):
        if entry["action"] == "import":
            active.append(entry)
        else:
            versions = [e["version"] for e in active]
            if entry["version"] in versions:
                active = active[: versions.index(entry["version"])]
    return active


def replay(con: duckdb.DuckDBPyConnection) -> int:
    """Re-apply the imports in force to a freshly built database, so a rebuild loses none."""
    count = 0
    for entry in active_imports():
        rows = pd.read_parquet(versions_dir() / "imports" / f"{entry['version']}.parquet")
        con.register("import_rows", rows)
        sql = (IMPORT_SQL / f"{entry['kind']}.sql").read_text(encoding="utf-8")
        db.run_script(con, sql, {"year": entry["year"], "source": entry["file"]})
        con.unregister("import_rows")
        count += 1
    return count


def _pause_for_tests() -> None:
    """Tests kill an import at this point to show the served database is untouched."""
    pause = float(os.environ.get("OBSERVATOIRE_IMPORT_PAUSE", "0") or 0)
    if pause:
        time.sleep(pause)
