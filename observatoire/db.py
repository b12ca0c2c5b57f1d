"""Run named queries from queries/*.sql against the DuckDB database.

This module does not import Streamlit, so tests and scripts call it directly;
observatoire.ui caches the connection and the results for the pages.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from observatoire.paths import QUERIES_DIR, db_path

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


class DatabaseUnavailable(RuntimeError):
    """The database file is missing or unreadable; the message says how to rebuild it."""


@cache
def query_text(name: str) -> str:
    """The SQL of queries/<name>.sql (names are plain identifiers, never paths)."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"Nom de requête invalide : {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"Requête inconnue : {name} (fichier {path} absent)")
    return path.read_text(encoding="utf-8")


def query_params(name: str) -> set[str]:
    """Named parameters ($name) that queries/<name>.sql expects."""
    sql = re.sub(r"--[^\n]*", "", query_text(name))
    return set(_PARAM.findall(sql))


def list_queries() -> list[str]:
    """Every named query, sorted."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database, with a French error when it cannot be opened."""
    path = Path(path) if path else db_path()
    if not path.is_file():
        raise DatabaseUnavailable(
            f"La base de données {path.name} est introuvable. "
            "Reconstruisez-la avec la commande « make data »."
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DatabaseUnavailable(
            f"La base de données {path.name} est illisible ou corrompue ({exc.__class__.__name__}). "
            "Supprimez-la puis reconstruisez-la avec la commande « make data »."
        ) from exc


def run_query(
    name: str,
    params: dict | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """Run queries/<name>.sql with its named parameters and return a DataFrame.

    Exactly the parameters the query names must be given: a missing or extra one is
    an error here rather than a silent NULL in the result.
    """
    params = dict(params or {})
    expected = query_params(name)
    if set(params) != expected:
        raise ValueError(
            f"Requête {name} : paramètres attendus {sorted(expected)}, reçus {sorted(params)}"
        )
    owned = con is None
    con = connect() if owned else con
    try:
        cur = con.cursor()
        try:
            return cur.execute(query_text(name), params).df()
        finally:
            cur.close()
    finally:
        if owned:
            con.close()


def run_script(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Run each statement of a SQL script, each with the named parameters it uses; return the last result.

    The one way SQL scripts run (build steps, checks, imports: see run_file); named queries use run_query.
    """
    params = params or {}
    result = None
    for statement in [s for s in re.split(r";\s*\n", sql) if re.sub(r"--[^\n]*", "", s).strip()]:
        names = set(_PARAM.findall(re.sub(r"--[^\n]*", "", statement)))
        result = con.execute(statement, {k: v for k, v in params.items() if k in names})
    return result


def run_file(con: duckdb.DuckDBPyConnection, path: Path, params: dict | None = None):
    """Run a SQL file of queries/build, queries/build/checks or queries/import with run_script."""
    return run_script(con, Path(path).read_text(encoding="utf-8"), params)
