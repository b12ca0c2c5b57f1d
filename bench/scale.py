"""Per-page server times on a synthetic register 100 times the real network (52,300 members
over 10 years), generated on the fly in a throwaway copy of the database."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from bench import server_times
from bench.pages import VIEWS
from observatoire import db
from observatoire.paths import QUERIES_DIR, db_path

FIRST_YEAR = 2015


def synthetic_database(target: Path) -> dict:
    """Copy the served database to target and grow its register 100 times."""
    shutil.copyfile(db_path(), target)
    con = duckdb.connect(str(target))
    try:
        sql = (QUERIES_DIR / "bench" / "synthetic_register.sql").read_text(encoding="utf-8")
        db.run_script(con, sql, {"first_year": FIRST_YEAR})
        members = con.execute("select count(*) from members").fetchone()[0]
        years = con.execute("select count(distinct year) from members").fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()
    return {"members": members, "years": years}


def measure(runs: int = 20) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "x100.duckdb"
        size = synthetic_database(target)
        previous = os.environ.get("OBSERVATOIRE_DB")
        os.environ["OBSERVATOIRE_DB"] = str(target)
        try:
            pages = {name: server_times.page(path, runs, section=section) for name, (path, _, section) in VIEWS.items()}
        finally:
            if previous is None:
                os.environ.pop("OBSERVATOIRE_DB", None)
            else:
                os.environ["OBSERVATOIRE_DB"] = previous
    return {"register": size, "pages_s": pages}
