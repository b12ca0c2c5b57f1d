"""Shared fixtures: one real database built from data/sources for the whole session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from observatoire import build
from observatoire.paths import ROOT, SOURCES_DIR

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A database built by the real build from the committed sources."""
    target = tmp_path_factory.mktemp("db") / "observatoire.duckdb"
    build.build(target)
    previous = os.environ.get("OBSERVATOIRE_DB")
    os.environ["OBSERVATOIRE_DB"] = str(target)
    yield target
    if previous is None:
        os.environ.pop("OBSERVATOIRE_DB", None)
    else:
        os.environ["OBSERVATOIRE_DB"] = previous


@pytest.fixture
def con(built_db):
    from observatoire import db

    connection = db.connect(built_db)
    yield connection
    connection.close()


@pytest.fixture
def served(built_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the built database, with its own versions folder (imports, rollbacks)."""
    target = tmp_path / "served.duckdb"
    shutil.copyfile(built_db, target)
    monkeypatch.setenv("OBSERVATOIRE_VERSIONS", str(tmp_path / "versions"))
    return target


def imported(target: Path, *files: tuple[str, str, bytes, int | None]) -> Path:
    """Import files (kind, file name, bytes, year) into a served base as an administrator would: validated, applied."""
    from observatoire import validate, versions

    for kind, name, data, year in files:
        validation = validate.validate(kind, name, data, year, target=target)
        assert validation.ok, [str(i) for i in validation.issues]
        versions.apply(validation, "Hélène", target=target)
    return target


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of data/sources, for tests that corrupt a file."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, target)
    return target


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
