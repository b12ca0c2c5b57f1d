"""Build data/observatoire.duckdb from the curated CSV files under data/sources/.

Steps: load every CSV as a VARCHAR staging view (with its file and line), run the
source checks of queries/build/checks/source_*.sql, geocode and assemble the member
register in Python, run the ordered SQL of queries/build/*.sql, run the database
checks (checks/db_*.sql, also run after each import; checks/build_*.sql, which read the staging views, only
here), then swap the new file in atomically. A bad source row fails the build with a French message naming
the file, the line and the rule.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import db, units
from observatoire.paths import BUILD_SQL_DIR, ROOT, SOURCES_DIR, db_path

FIGURE_COLUMNS = [
    "indicator", "label", "category", "category_label", "value", "unit", "year",
    "territory", "source_file", "section", "original_text", "note",
]
PROVENANCE = ["source_file", "section", "original_text"]
# Prefixes of the temporary files that rebuilds, imports, rollbacks and readers of the record leave next to the
# served database when killed (.read-: hard links, see observatoire.versions.imports_in).
TEMP_PREFIXES = (".build-", ".import-", ".rollback-", ".read-")
# Re-applies the imports in force to a freshly built database; returns French warnings.
Replay = Callable[[duckdb.DuckDBPyConnection, Path], list[str]]

# staging view -> (path under data/sources, expected columns in order)
SOURCES: dict[str, tuple[str, list[str]]] = {
    "stg_documents": ("documents.csv", ["source_file", "title", "short_title", "publisher", "year"]),
    "stg_rules": ("rules.csv", ["theme", "indicator", "rule", "total_indicator", "total_category", "tolerance"]),
    "stg_structure_types": ("entities/structure_types.csv", ["code", "label", "short_label", "is_iae", *PROVENANCE]),
    "stg_regional_federations": ("entities/regional_federations.csv", ["federation_id", "name", *PROVENANCE]),
    "stg_federation_staff": ("entities/federation_staff.csv", ["federation_id", "person", "role", "note", *PROVENANCE]),
    "stg_governance_members": (
        "entities/governance_members.csv",
        ["body", "person", "role", "college", "represents", "represents_departement", *PROVENANCE],
    ),
    "stg_innovation_axes": (
        "entities/innovation_axes.csv", ["axis_id", "short_label", "title", "description", *PROVENANCE],
    ),
    "stg_innovation_projects": (
        "entities/innovation_projects.csv",
        ["project_id", "name", "carrier", "federation_id", "commune_insee", "commune_name", "departement",
         "location_precision", "axis_id", "axis_basis", "summary", *PROVENANCE],
    ),
    "stg_social_utility_enterprises": (
        "entities/social_utility_enterprises.csv",
        ["enterprise_id", "name", "structure_description", "structure_type", "commune_insee", "commune_name",
         "other_communes", "departement", "federation_id", "creation_year", "fte", "turnover_eur",
         "certification_scheme", "certified_since", "certification_note", *PROVENANCE],
    ),
    "stg_training_offers": (
        "entities/training_offers.csv",
        ["offer_id", "title", "domain", "price_member_eur", "price_non_member_eur", "duration_text", "hours",
         "min_trainees", "max_trainees", "trainers", *PROVENANCE],
    ),
    "stg_members_named": (
        "entities/members_named.csv",
        ["member_id", "name", "structure_type", "commune_insee", "commune_name", "departement", "federation_id",
         "creation_year", "fte", "turnover_eur", "location_precision", "imputed_fields", *PROVENANCE],
    ),
    "stg_member_certifications_named": (
        "entities/member_certifications.csv",
        ["member_id", "scheme", "level", "year", "event", *PROVENANCE],
    ),
    "stg_departements": (
        "territories/departements.csv", ["dep_id", "code", "name", "region_2014_id", "region_2016_id"],
    ),
    "stg_regions_2014": ("territories/regions_2014.csv", ["region_2014_id", "name", "insee_code", "is_overseas"]),
    "stg_regions_2016": ("territories/regions_2016.csv", ["region_2016_id", "code", "name"]),
    "stg_federation_regions": (
        "territories/federation_regions.csv", ["federation_id", "region_2014_id", *PROVENANCE],
    ),
}


@dataclass(frozen=True)
class Problem:
    """One broken rule in one place of a source file."""

    source: str
    line: str
    rule: str
    detail: str

    def __str__(self) -> str:
        where = f"{self.source}, ligne {self.line}" if self.line else self.source
        return f"{where} : règle « {self.rule} » non respectée — {self.detail}"


class BuildError(Exception):
    """The sources break at least one rule; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"La base n'a pas été construite : {len(problems)} erreur(s) dans les sources.\n{lines}")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def read_source(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read one CSV as text with its line numbers; a wrong header or encoding is a Problem."""
    where = _relative(path)
    if not path.is_file():
        raise BuildError([Problem(where, "", "fichier présent", "fichier introuvable")])
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError([Problem(where, "", "encodage UTF-8", f"octet invalide en position {exc.start}")]) from exc
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BuildError([Problem(where, "", "CSV lisible", str(exc).strip())]) from exc
    if list(df.columns) != columns:
        missing = [c for c in columns if c not in df.columns]
        extra = [c for c in df.columns if c not in columns]
        detail = f"colonnes attendues : {', '.join(columns)}"
        if missing:
            detail += f" ; manquantes : {', '.join(missing)}"
        if extra:
            detail += f" ; en trop : {', '.join(extra)}"
        raise BuildError([Problem(where, "1", "en-tête conforme", detail)])
    df = df.apply(lambda col: col.str.strip())
    df["src_file"] = where
    df["src_line"] = [str(i + 2) for i in range(len(df))]
    return df


def load_sources(sources_dir: Path = SOURCES_DIR) -> dict[str, pd.DataFrame]:
    """Every staging DataFrame, keyed by staging view name; collects header problems of all files."""
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    figure_frames = []
    figure_files = sorted((sources_dir / "figures").glob("*.csv"))
    if not figure_files:
        problems.append(
            Problem(_relative(sources_dir / "figures"), "", "fichiers présents", "aucun fichier de chiffres")
        )
    for path in figure_files:
        try:
            df = read_source(path, FIGURE_COLUMNS)
        except BuildError as exc:
            problems.extend(exc.problems)
            continue
        df["theme"] = path.stem
        figure_frames.append(df)
    for view, (relative, columns) in SOURCES.items():
        try:
            frames[view] = read_source(sources_dir / relative, columns)
        except BuildError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BuildError(problems)
    frames["stg_figures"] = pd.concat(figure_frames, ignore_index=True)
    return frames


def run_checks(con: duckdb.DuckDBPyConnection, prefix: str) -> list[Problem]:
    """Run queries/build/checks/<prefix>*.sql; each returns (source, line, rule, detail) rows."""
    problems: list[Problem] = []
    for path in sorted((BUILD_SQL_DIR / "checks").glob(f"{prefix}*.sql")):
        rows = db.run_file(con, path).fetchall()
        problems.extend(Problem(*(str(v) if v is not None else "" for v in row)) for row in rows)
    return sorted(problems, key=lambda p: (p.source, int(p.line.split(",")[0]) if p.line[:1].isdigit() else 0))


def sources_digest(sources_dir: Path = SOURCES_DIR) -> str:
    """A hash of every source file and build SQL file, recorded in the database."""
    h = hashlib.sha256()
    for path in sorted([*sources_dir.rglob("*.csv"), *BUILD_SQL_DIR.rglob("*.sql")]):
        h.update(_relative(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def lock_path(target: Path) -> Path:
    """The lock file shared by rebuilds, imports and rollbacks of one database (git-ignored)."""
    return target.with_name(f".{target.name}.lock")


@contextmanager
def lock(target: Path, blocking: bool = True):
    """Hold the database's write lock: only one rebuild, import or rollback at a time.

    Yields True when the lock is held; with blocking=False, yields False at once if another
    writer holds it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(target), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(target: Path) -> list[Path]:
    """Delete temporary files a killed writer left next to the database; call it under the lock."""
    removed = []
    for prefix in TEMP_PREFIXES:
        for path in target.parent.glob(f"{prefix}*"):
            path.unlink(missing_ok=True)  # a reader's link removed under it: the reader retries
            removed.append(path)
    return removed


def temp_file(target: Path, prefix: str) -> Path:
    """A fresh, absent path next to the database (DuckDB creates the file itself)."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".duckdb", dir=target.parent)
    os.close(fd)
    Path(name).unlink()
    return Path(name)


def discard(tmp: Path) -> None:
    """Remove a temporary database and its write-ahead log."""
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    """Flush a file or a directory to disk, so that what follows a crash is what was written."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(tmp: Path, target: Path) -> None:
    """Swap a finished database in: flushed first, then renamed atomically, then the rename flushed."""
    fsync_path(tmp)
    os.replace(tmp, target)
    fsync_path(target.parent)


def imports_in_force(target: Path) -> int:
    """How many imports the database file records (0 when absent, unreadable or older than the record)."""
    if not target.is_file():
        return 0
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return 0
    try:
        return con.execute("select count(*) from imports").fetchone()[0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


def build(target: Path | None = None, sources_dir: Path = SOURCES_DIR, verbose: bool = False,
          replay: Replay | None = None) -> Path:
    """Build the database into a new file and swap it in, under the write lock; raise BuildError on bad sources.

    `replay(con, served)` re-applies the imports in force (observatoire.versions.replay); without it,
    building over a database that holds imports is refused rather than silently dropping them.
    """
    target = Path(target) if target else db_path()
    with lock(target):
        remove_leftovers(target)
        return build_locked(target, sources_dir, verbose, replay)


def build_locked(target: Path, sources_dir: Path = SOURCES_DIR, verbose: bool = False,
                 replay: Replay | None = None) -> Path:
    """The build itself; the caller holds lock(target)."""
    from observatoire import population, register  # both need the commune table: imported lazily

    started = time.perf_counter()
    in_force = 0 if replay else imports_in_force(target)
    if in_force:
        raise BuildError([Problem(_relative(target), "", "imports conservés",
                                  f"la base contient {in_force} import(s) d'administration : "
                                  "reconstruisez-la avec « make data », qui les réapplique")])
    frames = load_sources(sources_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_file(target, ".build-")
    try:
        con = duckdb.connect(str(tmp))
        try:
            for view, df in frames.items():
                con.register(view, df)
            con.register("stg_units", units.frame())
            problems = run_checks(con, "source_")
            if problems:
                raise BuildError(problems)
            points, members, certifications = register.assemble(frames)
            con.register("stg_points", points)
            con.register("stg_members", members)
            con.register("stg_member_certifications", certifications)
            con.register("stg_commune_population", population.communes())
            con.register("stg_population_source", population.source_frame())
            con.register("stg_population_fingerprint", population.fingerprint_frame())
            for path in sorted(BUILD_SQL_DIR.glob("*.sql")):
                try:
                    db.run_file(con, path)
                except duckdb.ConstraintException as exc:
                    raise BuildError([Problem(_relative(path), "", "contrainte de la base", str(exc))]) from exc
            for message in (replay(con, target) if replay else []):
                print(message, file=sys.stderr)
            # db_ checks run after every import too; build_ checks read the build's staging views as well
            problems = run_checks(con, "db_") + run_checks(con, "build_")
            if problems:
                raise BuildError(problems)
            con.execute(
                "insert into build_info values ('sources_sha256', $digest), ('built_at', $built_at)",
                {"digest": sources_digest(sources_dir), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
            )
            con.execute("checkpoint")
        finally:
            con.close()
        publish(tmp, target)
    finally:
        discard(tmp)
    if verbose:
        print(f"Base construite : {_relative(target)} en {time.perf_counter() - started:.1f} s")
    return target


def is_stale(target: Path | None = None) -> bool:
    """True when the database is missing or older than one of its sources."""
    target = Path(target) if target else db_path()
    if not target.is_file():
        return True
    built = target.stat().st_mtime
    inputs = [*SOURCES_DIR.rglob("*.csv"), *BUILD_SQL_DIR.rglob("*.sql"), *Path(__file__).parent.glob("*.py")]
    return any(p.stat().st_mtime > built for p in inputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit data/observatoire.duckdb depuis data/sources/.")
    parser.add_argument("--if-stale", action="store_true", help="ne reconstruit que si une source est plus récente")
    parser.add_argument("--target", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.if_stale and not is_stale(args.target):
        print("Base à jour.")
        return 0
    from observatoire import versions  # the CLI rebuilds with the imports in force (no import cycle at load)

    try:
        versions.rebuild(args.target, verbose=True)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
