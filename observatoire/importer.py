"""Import a new year of data or the real member register: templates, validation that names
every error, a preview of the changes, an atomic swap of the database, versions and rollback.

No Streamlit import: pages/9_admin.py calls these functions, tests call them directly.
The served database is never written in place: an import copies it, applies the rows to
the copy, checks the copy, archives the served file, then swaps the copy in with os.replace.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import build, export, geo
from observatoire.db import _PARAM
from observatoire.paths import BUILD_SQL_DIR, DATA_DIR, QUERIES_DIR, db_path

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 200_000
IMPORT_SQL = QUERIES_DIR / "import"


def versions_dir() -> Path:
    return Path(os.environ.get("OBSERVATOIRE_VERSIONS", DATA_DIR / "versions"))


@dataclass(frozen=True)
class Kind:
    """One importable kind of file: its French name, columns and key."""

    name: str
    label: str
    columns: list[str]
    required: list[str]
    key: list[str]
    integers: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    per_year: bool = False


KINDS = {
    "members": Kind(
        "members", "Registre des adhérents (une année)",
        ["member_id", "name", "structure_type", "commune_insee", "creation_year", "fte", "turnover_eur"],
        ["member_id", "name", "structure_type", "commune_insee"], ["member_id"],
        integers=("creation_year",), numbers=("fte", "turnover_eur"), per_year=True,
    ),
    "figures": Kind(
        "figures", "Chiffres publiés d'une année", list(build.FIGURE_COLUMNS[:-1]) + ["note", "theme"],
        ["theme", "indicator", "label", "unit", "year", "territory", "source_file", "section", "original_text"],
        ["theme", "indicator", "category", "year", "territory"], integers=("year",),
    ),
    "projects": Kind(
        "projects", "Projets d'innovation",
        ["project_id", "name", "carrier", "commune_insee", "axis_id", "summary"],
        ["project_id", "name", "commune_insee", "axis_id", "summary"], ["project_id"], integers=("axis_id",),
    ),
    "certifications": Kind(
        "certifications", "Labels qualité (certifications)",
        ["member_id", "scheme", "level", "year", "event"], ["member_id", "scheme", "year", "event"],
        ["member_id", "scheme", "year", "event"], integers=("year",),
    ),
}


@dataclass(frozen=True)
class Issue:
    """One problem of an uploaded file, named in French with its row and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return (", ".join(where).capitalize() + " : " if where else "") + self.message


@dataclass
class Validation:
    """What an upload became: the typed rows ready to import, or the list of problems."""

    kind: Kind
    filename: str
    sha256: str
    year: int | None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


# ---------------------------------------------------------------- reading files

def _read_csv(data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Issue(None, None, f"encodage non reconnu (octet {exc.start}) : enregistrez le fichier "
                                       "en CSV UTF-8")]
    if not text.strip():
        return None, [Issue(None, None, "le fichier est vide")]
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return None, [Issue(None, None, f"CSV illisible : {exc}")]
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    issues = [Issue(i + 2, None, f"{len(r)} valeurs pour {len(header)} colonnes")
              for i, r in enumerate(rows[1:]) if any(c.strip() for c in r) and len(r) != len(header)]
    if issues:
        return None, issues
    return pd.DataFrame(body, columns=[h.strip() for h in header], dtype=str), []


def _read_xlsx(data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same user error
        return None, [Issue(None, None, f"classeur XLSX illisible ({exc.__class__.__name__})")]
    sheet = book["données"] if "données" in book.sheetnames else book.worksheets[0]
    issues = []
    values = []
    for row in sheet.iter_rows():
        line = []
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                issues.append(Issue(cell.row, sheet.cell(1, cell.column).value or cell.column_letter,
                                    f"formule interdite en {cell.coordinate} ({str(cell.value)[:40]}) : "
                                    "collez des valeurs"))
            line.append("" if cell.value is None else str(cell.value))
        values.append(line)
    if issues:
        return None, issues
    values = [v for v in values if any(x.strip() for x in v)]
    if not values:
        return None, [Issue(None, None, "le fichier est vide")]
    header = [h.strip() for h in values[0]]
    while header and not header[-1]:
        header.pop()
    body = [v[: len(header)] + [""] * (len(header) - len(v)) for v in values[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    for col in frame.columns:  # integers typed in Excel come back as "2015.0"
        frame[col] = frame[col].str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return frame, []


def read_upload(filename: str, data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The uploaded table as text, or the reason it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [Issue(None, None, f"fichier trop volumineux : {len(data) / 1e6:.1f} Mo "
                                       f"(maximum {MAX_UPLOAD_BYTES / 1e6:.0f} Mo)".replace(".", ","))]
    if not data:
        return None, [Issue(None, None, "le fichier est vide")]
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        frame, issues = _read_csv(data)
    elif suffix == ".xlsx":
        frame, issues = _read_xlsx(data)
    else:
        return None, [Issue(None, None, f"format « {suffix or 'sans extension'} » non pris en charge : "
                                       "déposez un fichier .csv ou .xlsx")]
    if frame is not None and frame.empty:
        return None, [Issue(None, None, "le fichier ne contient aucune ligne de données")]
    if frame is not None and len(frame) > MAX_ROWS:
        return None, [Issue(None, None, f"trop de lignes : {len(frame)} (maximum {MAX_ROWS})")]
    if frame is not None:
        frame = frame.apply(lambda c: c.str.strip())
    return frame, issues


# ---------------------------------------------------------------- validation

def _ref(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """A reference list from queries/import/ref_<name>.sql."""
    return con.execute((IMPORT_SQL / f"ref_{name}.sql").read_text(encoding="utf-8")).df()


def _reference(con: duckdb.DuckDBPyConnection) -> dict:
    return {name: _ref(con, name) for name in ("types", "federations", "schemes", "axes", "deps")}


def _check_columns(frame: pd.DataFrame, kind: Kind) -> list[Issue]:
    issues = [Issue(1, c, "colonne obligatoire absente") for c in kind.columns if c not in frame.columns]
    issues += [Issue(1, c, f"colonne inconnue (colonnes attendues : {', '.join(kind.columns)})")
               for c in frame.columns if c not in kind.columns]
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    issues += [Issue(1, c, "colonne en double") for c in duplicated]
    return issues


def _typed(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> pd.DataFrame:
    out = frame.copy()
    for col in kind.required:
        for i in frame.index[frame[col] == ""]:
            issues.append(Issue(i + 2, col, "valeur obligatoire manquante"))
    for col in (*kind.integers, *kind.numbers):
        text = frame[col].str.replace("\u202f", "").str.replace("\u00a0", "").str.replace(" ", "")
        text = text.str.replace(",", ".", regex=False)
        values = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = (text != "") & values.isna()
        for i in frame.index[bad]:
            issues.append(Issue(i + 2, col, f"« {frame.at[i, col]} » n'est pas un nombre"))
        if col in kind.integers:
            frac = values.notna() & (values != values.round())
            for i in frame.index[frac]:
                issues.append(Issue(i + 2, col, f"« {frame.at[i, col]} » n'est pas un entier"))
        negative = values < 0
        for i in frame.index[negative.fillna(False)]:
            issues.append(Issue(i + 2, col, f"valeur négative ({frame.at[i, col]})"))
        out[col] = values
    return out


def _check_duplicates(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> None:
    dup = frame.duplicated(kind.key, keep=False)
    for i in frame.index[dup]:
        key = ", ".join(str(frame.at[i, k]) for k in kind.key)
        issues.append(Issue(i + 2, kind.key[0], f"identifiant en double ({key})"))


def _locate(frame: pd.DataFrame, ref: dict, issues: list[Issue]) -> pd.DataFrame:
    """Commune name, département, federation and point of each row's commune_insee."""
    communes = geo.communes_table().set_index("code")
    deps = ref["deps"].set_index("code")
    located = frame.copy()
    for col in ("commune_name", "dep_id", "federation_id"):
        located[col] = None
    located["lon"] = float("nan")
    located["lat"] = float("nan")
    for i, code in frame.commune_insee.items():
        if not code:
            continue
        key = code.zfill(5) if code.isdigit() else code.upper()
        if key not in communes.index:
            issues.append(Issue(i + 2, "commune_insee", f"code commune INSEE inconnu : « {code} »"))
            continue
        commune = communes.loc[key]
        if pd.isna(commune.lon):
            issues.append(Issue(i + 2, "commune_insee", f"commune {key} ({commune['name']}) sans localisation"))
            continue
        dep = deps.loc[commune.dep_code]
        located.loc[i, ["commune_insee", "commune_name", "dep_id", "federation_id", "lon", "lat"]] = [
            key, commune["name"], dep.dep_id, dep.federation_id if pd.notna(dep.federation_id) else None,
            float(commune.lon), float(commune.lat)]
    return located


def _validate_members(frame, kind, ref, year, issues) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    types = set(ref["types"].code)
    for i, code in frame.structure_type.items():
        if code and code not in types:
            issues.append(Issue(i + 2, "structure_type",
                                f"type « {code} » inconnu (attendu : {', '.join(sorted(types))})"))
    for i, created in rows.creation_year.items():
        if pd.notna(created) and not 1800 <= created <= year:
            issues.append(Issue(i + 2, "creation_year", f"année de création {int(created)} hors de 1800–{year}"))
    for i, fte in rows.fte.items():
        if pd.notna(fte) and fte > 100_000:
            issues.append(Issue(i + 2, "fte", f"{fte} ETP : valeur invraisemblable"))
    return _locate(rows, ref, issues)


def _validate_certifications(frame, kind, ref, year, issues, con) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    schemes = set(ref["schemes"].scheme)
    known = set(_ref(con, "member_ids").member_id)
    for i, r in frame.iterrows():
        if r.scheme and r.scheme not in schemes:
            expected = ", ".join(sorted(schemes))
            issues.append(Issue(i + 2, "scheme", f"label « {r.scheme} » inconnu (attendu : {expected})"))
        if r.event and r.event not in ("certification", "renouvellement"):
            issues.append(Issue(i + 2, "event", f"« {r.event} » : attendu certification ou renouvellement"))
        if r.member_id and r.member_id not in known:
            issues.append(Issue(i + 2, "member_id", f"adhérent « {r.member_id} » absent du registre"))
    for i, y in rows.year.items():
        if pd.notna(y) and not 1980 <= y <= 2100:
            issues.append(Issue(i + 2, "year", f"année {int(y)} hors de 1980–2100"))
    rows["level"] = rows.level.replace("", None)
    return rows


def _validate_projects(frame, kind, ref, year, issues) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    axes = set(ref["axes"].axis_id)
    for i, axis in rows.axis_id.items():
        if pd.notna(axis) and int(axis) not in axes:
            issues.append(Issue(i + 2, "axis_id", f"axe {int(axis)} inconnu (attendu : 1, 2 ou 3)"))
    return _locate(rows, ref, issues)


def _validate_figures(frame, kind, con, issues) -> pd.DataFrame:
    """The build's own checks (types, units, territories, shares, parts) on the uploaded figures."""
    staged = frame.copy()
    staged["src_file"] = "fichier"
    staged["src_line"] = [str(i + 2) for i in range(len(staged))]
    check = duckdb.connect()
    try:
        check.register("stg_figures", staged)
        check.register("stg_rules", _rules_for(con, staged))
        check.register("stg_regional_federations", _ref(con, "federations"))
        check.register("stg_regions_2014", _ref(con, "regions_2014"))
        check.register("stg_departements", _ref(con, "dep_ids"))
        documents = pd.DataFrame({"source_file": sorted(set(staged.source_file) | set(
            _ref(con, "documents").source_file))})
        check.register("stg_documents", documents)
        for prefix in ("source_figures", "source_rules"):
            sql = (BUILD_SQL_DIR / "checks" / f"{prefix}.sql").read_text(encoding="utf-8")
            for _source, line, rule, detail in check.execute(sql).fetchall():
                first = str(line).split(",")[0]
                row = int(first) if first.isdigit() and first != "0" else None
                issues.append(Issue(row, None, f"règle « {rule} » : {detail}"))
    finally:
        check.close()
    rows = frame.copy()
    rows["value"] = pd.to_numeric(rows.value.str.replace(",", "."), errors="coerce")
    rows["year"] = pd.to_numeric(rows.year, errors="coerce").astype("Int64")
    rows["category_label"] = rows.category_label.replace("", None)
    rows["note"] = rows.note.replace("", None)
    rows["source_line"] = range(2, len(rows) + 2)
    return rows


def _rules_for(con, staged: pd.DataFrame) -> pd.DataFrame:
    rules = _ref(con, "rules")
    present = set(zip(staged.theme, staged.indicator))
    rules = rules[[(t, i) in present for t, i in zip(rules.theme, rules.indicator)]].copy()
    rules["src_file"] = "règles"
    rules["src_line"] = "0"
    return rules


def validate(kind_name: str, filename: str, data: bytes, year: int | None = None,
             target: Path | None = None) -> Validation:
    """Check everything at once and list every problem; nothing is written."""
    kind = KINDS[kind_name]
    result = Validation(kind, filename, hashlib.sha256(data).hexdigest(), year)
    frame, issues = read_upload(filename, data)
    if frame is None:
        result.issues = issues
        return result
    issues = _check_columns(frame, kind)
    if issues:
        result.issues = issues
        return result
    frame = frame[kind.columns]
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        ref = _reference(con)
        if kind.per_year and (year is None or not 1980 <= int(year) <= 2100):
            issues.append(Issue(None, None, "choisissez l'année du registre importé (entre 1980 et 2100)"))
        if kind.name == "members":
            rows = _validate_members(frame, kind, ref, int(year or 2100), issues)
        elif kind.name == "certifications":
            rows = _validate_certifications(frame, kind, ref, year, issues, con)
        elif kind.name == "projects":
            rows = _validate_projects(frame, kind, ref, year, issues)
        else:
            rows = _validate_figures(frame, kind, con, issues)
    finally:
        con.close()
    result.rows = rows
    result.issues = sorted(issues, key=lambda x: (x.row or 0, x.column or ""))
    return result


# ---------------------------------------------------------------- preview

def preview(validation: Validation, target: Path | None = None) -> dict[str, pd.DataFrame]:
    """What the import would change: added, changed and removed rows (by key)."""
    kind = validation.kind
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        sql = (IMPORT_SQL / f"current_{kind.name}.sql").read_text(encoding="utf-8")
        current = _execute(con, sql, {"year": validation.year}).df()
    finally:
        con.close()
    new = validation.rows[[c for c in current.columns if c in validation.rows.columns]].copy()
    key = kind.key
    for df in (current, new):
        for k in key:
            df[k] = df[k].astype(str)
    merged = current.merge(new, on=key, how="outer", suffixes=("_avant", "_après"), indicator=True)
    added = merged[merged._merge == "right_only"]
    removed = merged[merged._merge == "left_only"] if kind.per_year else merged.iloc[0:0]
    both = merged[merged._merge == "both"]
    compared = [c for c in current.columns if c not in key]

    def differs(row) -> bool:
        for c in compared:
            a, b = row[f"{c}_avant"], row[f"{c}_après"]
            if not ((pd.isna(a) and pd.isna(b)) or str(a) == str(b)
                    or (_is_number(a) and _is_number(b) and float(a) == float(b))):
                return True
        return False

    changed = both[both.apply(differs, axis=1)] if len(both) else both
    clean = lambda df: df.drop(columns="_merge").reset_index(drop=True)  # noqa: E731
    return {"ajoutées": clean(added), "modifiées": clean(changed), "supprimées": clean(removed)}


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------- applying

def _execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict):
    """Run each statement of a SQL script with the named parameters it uses."""
    result = None
    for statement in [s for s in re.split(r";\s*\n", sql) if re.sub(r"--[^\n]*", "", s).strip()]:
        names = set(_PARAM.findall(re.sub(r"--[^\n]*", "", statement)))
        result = con.execute(statement, {k: v for k, v in params.items() if k in names})
    return result


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
                _execute(con, sql, {"year": validation.year, "source": validation.filename})
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
        _execute(con, sql, {"year": entry["year"], "source": entry["file"]})
        con.unregister("import_rows")
        count += 1
    return count


def _pause_for_tests() -> None:
    """Tests kill an import at this point to show the served database is untouched."""
    pause = float(os.environ.get("OBSERVATOIRE_IMPORT_PAUSE", "0") or 0)
    if pause:
        time.sleep(pause)


# ---------------------------------------------------------------- templates

def template_csv(kind_name: str) -> bytes:
    """An empty CSV template (header only), UTF-8 with BOM, ';' separated."""
    return export.to_csv(pd.DataFrame(columns=KINDS[kind_name].columns))


def template_xlsx(kind_name: str, target: Path | None = None) -> bytes:
    """An XLSX template with drop-down lists on coded columns (types, labels, units, territories...)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = KINDS[kind_name]
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        lists = {
            "structure_type": _ref(con, "types").code.tolist(),
            "scheme": _ref(con, "schemes").scheme.tolist(),
            "event": ["certification", "renouvellement"],
            "unit": ["nombre", "%", "€", "k€", "M€", "ETP", "heures", "jours", "année"],
            "territory": _ref(con, "territories").territory_id.tolist(),
            "axis_id": [str(a) for a in _ref(con, "axes").axis_id],
        }
    finally:
        con.close()
    book = Workbook()
    sheet = book.active
    sheet.title = "données"
    sheet.append(kind.columns)
    listes = book.create_sheet("listes")
    column = 1
    for index, name in enumerate(kind.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(name) + 4)
        if name not in lists:
            continue
        letter = listes.cell(1, column).column_letter
        listes.cell(1, column, name)
        for row, value in enumerate(lists[name], start=2):
            listes.cell(row, column, value)
        rule = DataValidation(type="list", formula1=f"=listes!${letter}$2:${letter}${len(lists[name]) + 1}",
                              allow_blank=name not in kind.required, showErrorMessage=True,
                              errorTitle="Valeur non autorisée", error=f"Choisissez une valeur de la liste ({name}).")
        target_letter = sheet.cell(1, index).column_letter
        rule.add(f"{target_letter}2:{target_letter}5000")
        sheet.add_data_validation(rule)
        column += 1
    listes.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
