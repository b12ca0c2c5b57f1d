"""Where the project's files live; every path is derived from the repository root."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
GEO_DIR = DATA_DIR / "geo"
QUERIES_DIR = ROOT / "queries"
BUILD_SQL_DIR = QUERIES_DIR / "build"
ASSETS_DIR = ROOT / "assets"
# Text of the source documents (copied from shared/seeds so that the repository stands alone).
SEEDS_DIR = DATA_DIR / "documents"


def db_path() -> Path:
    """The served database; OBSERVATOIRE_DB overrides it (tests, benchmarks)."""
    return Path(os.environ.get("OBSERVATOIRE_DB", DATA_DIR / "observatoire.duckdb"))


def runtime_dir() -> Path:
    """Server-side state that is not data (login throttle, locks); OBSERVATOIRE_RUNTIME overrides it."""
    return Path(os.environ.get("OBSERVATOIRE_RUNTIME", DATA_DIR / "runtime"))
