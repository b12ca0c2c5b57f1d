"""A corpus of bad files, each refused with its own French message and the served database unchanged;
the rules shared with the database's CHECK constraints; XLSX and CSV bombs refused within 5 s and 500 MB."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from observatoire import kinds, units, upload, validate, versions
from observatoire.paths import BUILD_SQL_DIR, ROOT

HEADER = "member_id;name;structure_type;commune_insee;creation_year;fte;turnover_eur"
FIGURES_HEADER = "theme,indicator,label,category,category_label,value,unit,year,territory,source_file,section," \
                 "original_text,note"
FIG = "004_9797810c7b6b2072.txt,Import 2015,texte"
CERT = "member_id,scheme,level,year,event\n"
PROJ = "project_id,name,carrier,commune_insee,axis_id,summary\n"


def members(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n" + "\n".join(rows) + "\n").encode(encoding)


def figures(*rows: str) -> bytes:
    return (FIGURES_HEADER + "\n" + "\n".join(rows) + "\n").encode()


def xlsx(rows: list[list], formula_at: str | None = None) -> bytes:
    """A workbook of these rows; text starting with « = » stays text unless it is put at `formula_at`."""
    book = Workbook()
    sheet = book.active
    sheet.title = "données"
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
    if formula_at:
        sheet[formula_at] = "=SUM(F2:F3)"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


ROW = "m1;A;AI;31555;;;"
BAD_FILES = [
    # columns and shape
    ("members", "colonnes.csv", b"member_id;name;structure_type\nm1;A;AI\n", "colonne obligatoire absente"),
    ("members", "colonne-en-trop.csv", members("m1;A;AI;31555;;;;bleu", header=HEADER + ";couleur"),
     "colonne inconnue"),
    ("members", "alias-en-double.csv", members("m1;m1;A;AI;31555;;;", header="member_id;Identifiant;" + HEADER[10:]),
     "« member_id » et « Identifiant » désignent member_id"),
    ("members", "valeur-sans-titre.csv", members("m1;x;A;AI;31555;;;", header="member_id;;" + HEADER[10:]),
     "a des valeurs mais pas de titre"),
    ("members", "trop-de-valeurs.csv", members("m1;A;AI;31555;;;;12;bleu"), "9 valeurs pour 7 colonnes"),
    ("members", "trop-de-colonnes.csv", members(ROW + ";x" * 30, header=HEADER + "".join(f";c{i}" for i in range(30))),
     "trop de colonnes : 37"),
    ("members", "vide.csv", b"", "le fichier est vide"),
    ("members", "entete-seul.csv", members(), "aucune ligne de données"),
    ("members", "registre.txt", members(ROW), "« .txt » non pris en charge"),
    ("members", "enorme.csv", members(*["m;A;AI;31555;;;"] * 400_000), "fichier trop volumineux"),
    # encodings and CSV syntax
    ("members", "octet-indefini.csv", members("m1;Caf\x81;AI;31555;;;", encoding="latin-1"), "octet 0x81"),
    ("members", "utf16.csv", members(ROW, encoding="utf-16"), "UTF-16"),
    ("members", "bom-faux.csv", b"\xef\xbb\xbf" + members("m1;\xe9;AI;31555;;;", encoding="latin-1"),
     "s'annonce en UTF-8"),
    ("members", "guillemet-ouvert.csv", members('m1;"Atelier;AI;31555;;;'), "jamais refermé"),
    ("members", "guillemet-mal-place.csv", members('m1;"Atelier" du coin;AI;31555;;;'), "guillemet mal placé"),
    ("members", "cellule-geante.csv", members("m1;" + "A" * 200_000 + ";AI;31555;;;"),
     "cellule trop longue (plus de"),
    ("members", "cellule-longue.csv", members("m1;" + "A" * 10_001 + ";AI;31555;;;"),
     "cellule trop longue : 10\u202f001 caractères"),
    ("members", "classeur-renomme.csv", xlsx([HEADER.split(";")]), "est en fait un classeur XLSX"),
    # control characters
    ("members", "nul.csv", members("m1;Ate\x00lier;AI;31555;;;"), "caractère de contrôle interdit (NUL, position 4)"),
    ("members", "sonnerie.csv", members("m1;Atelier\x07;AI;31555;;;"), "(U+0007, position 8)"),
    ("members", "c1.csv", members("m1;Atelier\u0085;AI;31555;;;"), "(U+0085"),
    ("members", "bidi.csv", members("m1;Atelier\u202egpj.exe;AI;31555;;;"), "(U+202E"),
    # numbers
    ("members", "texte.csv", members("m1;A;AI;31555;2001;douze;"), "« douze » n'est pas un nombre"),
    ("members", "milliers-a-l-anglaise.csv", members("m1;A;AI;31555;;;1.234,5"), "« 1.234,5 » n'est pas un nombre"),
    ("members", "infini.csv", members("m1;A;AI;31555;;inf;"), "« inf » : valeur infinie ou indéfinie"),
    ("members", "nan.csv", members("m1;A;AI;31555;;NaN;"), "« NaN » : valeur infinie"),
    ("members", "1e400.csv", members("m1;A;AI;31555;;;1e400"), "« 1e400 » : nombre trop grand"),
    ("members", "decimal.csv", members("m1;A;AI;31555;2011,5;;"), "« 2011,5 » n'est pas un entier"),
    ("members", "negatif.csv", members("m1;A;AI;31555;;;-5000"), "valeur négative (-5000)"),
    ("members", "1850.csv", members("m1;A;AI;31555;1850;;"), "valeur 1850 hors des bornes acceptées (1900 à 2100)"),
    ("members", "etp.csv", members("m1;A;AI;31555;;200 000;"), "valeur 200000 hors des bornes acceptées (0 à 100000)"),
    ("members", "futur.csv", members("m1;A;AI;31555;2031;;"), "année de création 2031 postérieure"),
    # formula-like cells
    ("members", "egal.csv", members('m1;=HYPERLINK("http://x");AI;31555;;;'), "commence par « = »"),
    ("members", "plus.csv", members("m1;+33 6 12;AI;31555;;;"), "« +33 6 12 » commence par « + »"),
    ("members", "moins.csv", members("m1;-2+3;AI;31555;;;"), "« -2+3 » commence par « - »"),
    ("members", "arobase.csv", members("m1;@SUM(A1);AI;31555;;;"), "commence par « @ »"),
    ("members", "formule-nombre.csv", members("m1;A;AI;31555;;=1+1;"), "« =1+1 » commence par"),
    ("members", "dde.xlsx", xlsx([HEADER.split(";"), ["m1", "=cmd|' /C calc'!A0", "AI", "31555"]]),
     "« =cmd|' /C calc'!A0 » commence par"),
    # rules of the kind
    ("members", "commune.csv", members("m1;A;AI;99999;;;"), "code commune INSEE inconnu"),
    ("members", "type-structure.csv", members("m1;A;XYZ;31555;;;"), "type « XYZ » inconnu"),
    ("members", "doublons.csv", members(ROW, "m1;B;AI;31555;;;"), "identifiant en double"),
    ("members", "nom-manquant.csv", members("m1;;AI;31555;;;"), "valeur obligatoire manquante"),
    # XLSX
    ("members", "formule.xlsx", xlsx([HEADER.split(";"), ["m1", "A", "AI", "31555", 2001, 3, 10]], formula_at="G2"),
     "formule interdite en G2"),
    ("members", "casse.xlsx", b"PK\x03\x04 pas vraiment un classeur", "ce n'est pas un fichier .xlsx"),
    ("members", "ancien.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97-2003"),
    # figures, labels, projects
    ("figures", "parts.csv", figures(f"federation_resources,federation_resources_share,Part,a,,60,%,2015,FR,{FIG},",
                                     f"federation_resources,federation_resources_share,Part,b,,30,%,2015,FR,{FIG},"),
     "parts en % = 100"),
    ("figures", "pourcentage.csv", figures(f"cedre,certified_member_share,Part,,,\"120,5\",%,2015,FR,{FIG},"),
     "pourcentage entre 0 et 100"),
    ("figures", "territoire.csv", figures(f"network_members,members_total,Adhérents,,,530,nombre,2015,"
                                          f"fed-atlantide,{FIG},"), "territoire « fed-atlantide » inconnu"),
    ("figures", "total.csv", figures(f"network_members,members_by_type,Adhérents,AI,,300,nombre,2015,FR,{FIG},",
                                     f"network_members,members_total,Adhérents,,,530,nombre,2015,FR,{FIG},"),
     "parts = total publié"),
    ("figures", "unite.csv", figures(f"training,trainees,Stagiaires,,,1300,stagiaires,2015,FR,{FIG},"),
     "unité autorisée"),
    ("figures", "valeur-infinie.csv", figures(f"training,trainees,Stagiaires,,,Infinity,nombre,2015,FR,{FIG},"),
     "« Infinity » : valeur infinie"),
    ("figures", "contredit-le-registre.csv", figures(f"network_members,members_total,Adhérents,,,999,nombre,2014,FR,"
                                                     f"{FIG},"),
     "la base refuserait l'import, règle « registre = chiffre publié » : adhérents (FR) : 523 dans le registre"),
    ("certifications", "label.csv", (CERT + "m-irisse,ISO 14001,,2015,certification\n").encode(),
     "label « ISO 14001 » inconnu"),
    ("certifications", "adherent.csv", (CERT + "m-inconnu,CEDRE,,2015,certification\n").encode(),
     "adhérent « m-inconnu » absent du registre"),
    ("certifications", "evenement.csv", (CERT + "m-irisse,CEDRE,,2015,audit\n").encode(),
     "« audit » : attendu certification ou renouvellement"),
    ("certifications", "annee-1970.csv", (CERT + "m-irisse,CEDRE,,1970,certification\n").encode(),
     "valeur 1970 hors des bornes acceptées (1980 à 2100)"),
    ("projects", "axe.csv", (PROJ + "p1,Projet,X,31555,7,Un projet\n").encode(), "axe 7 inconnu"),
]



@pytest.mark.parametrize(("kind", "filename", "data", "expected"), BAD_FILES, ids=[f[1] for f in BAD_FILES])
def test_bad_file_is_refused_with_its_french_message(served, kind, filename, data, expected):
    before = sha(served)
    validation = validate.validate(kind, filename, data, year=2015, target=served)
    messages = [str(i) for i in validation.issues]
    assert not validation.ok
    assert any(expected in m for m in messages), messages
    english = ("field larger", "unexpected end", "expected after", "Error", "None", "nan ", "codec")
    assert not [m for m in messages if any(word in m for word in english)], messages
    with pytest.raises(ValueError):
        versions.apply(validation, "admin", target=served)
    assert sha(served) == before


def test_the_corpus_holds_forty_files_with_distinct_messages():
    print(f"\n{len(BAD_FILES)} fichiers refusés, {len({e for *_, e in BAD_FILES})} messages distincts")
    assert len(BAD_FILES) >= 40
    assert len({expected for *_, expected in BAD_FILES}) == len(BAD_FILES)


@pytest.mark.parametrize(("kind", "filename", "data", "expected", "where"), [
    ("members", "colonne.csv", members(ROW, "m2;B;AI;99999;;;"), "code commune INSEE inconnu", (3, "commune_insee")),
    ("members", "libelles.csv", members("m1;A;AI;31555;1850;;", header=HEADER.replace("creation_year",
                                                                                      "Année de création")),
     "hors des bornes", (2, "Année de création")),
    ("members", "lignes-vides.csv", members("", ROW, "", "m2;B;AI;31555;;;x"), "n'est pas un nombre",
     (5, "turnover_eur")),
    ("members", "multiligne.csv", members('m1;"Atelier\nsur deux lignes";AI;31555;;;', "m2;B;AI;31555;;;-1"),
     "valeur négative", (3, "turnover_eur")),
    ("members", "fichier.csv", b"", "le fichier est vide", (None, None)),
])
def test_errors_name_the_spreadsheet_row_and_the_files_own_column(served, kind, filename, data, expected, where):
    issues = validate.validate(kind, filename, data, 2015, target=served).issues
    issue = next(i for i in issues if expected in i.message)
    assert (issue.row, issue.column) == where
    table = validate.issue_table(issues)
    assert "None" not in table.to_string() and table.Ligne.iloc[0] == ("—" if where[0] is None else str(where[0]))


# ---------------------------------------------------------------- one rule, two places

def _schema_column(table: str, column: str) -> str:
    sql = (BUILD_SQL_DIR / "00_schema.sql").read_text(encoding="utf-8")
    body = re.search(rf"create table {table} \((.*?)\n\);", sql, re.S).group(1)
    return next(line.strip() for line in body.splitlines() if line.strip().startswith(f"{column} "))


@pytest.mark.parametrize("kind", list(kinds.KINDS.values()), ids=list(kinds.KINDS))
def test_the_schema_checks_are_the_validators_rules(kind):
    for column, rule in kind.numbers.items():
        expected = rule.check_sql(column)
        line = _schema_column(kind.table, column)
        if expected:
            assert f"check ({expected})" in line, (kind.table, line, expected)
        else:
            assert "check" not in line, (kind.table, line)


def test_the_schema_lists_are_the_validators_lists():
    assert _schema_column("figures_published", "unit") == "unit varchar not null references units (unit),"
    assert kinds.UNITS is units.NAMES  # the schema's units table is written from units.NAMES by the build
    events = re.search(r"check \(event in \(([^)]*)\)\)", _schema_column("member_certifications", "event")).group(1)
    assert tuple(e.strip(" '") for e in events.split(",")) == kinds.EVENTS


@pytest.mark.parametrize(("column", "inside", "outside"), [
    ("creation_year", "1900", "1899"), ("creation_year", "2015", "2101"), ("fte", "100000", "100000,5"),
    ("fte", "0", "-0,1"), ("turnover_eur", "0", "-1"),
])
def test_a_value_the_validator_accepts_imports_and_one_it_refuses_the_base_refuses(served, column, inside, outside):
    def row(value: str) -> str:
        cells = {"creation_year": "", "fte": "", "turnover_eur": "", column: value}
        return f"m1;A;AI;31555;{cells['creation_year']};{cells['fte']};{cells['turnover_eur']}"

    good = validate.validate("members", "bon.csv", members(row(inside)), 2015, target=served)
    assert good.ok, [str(i) for i in good.issues]
    versions.apply(good, "admin", target=served)
    bad = validate.validate("members", "mauvais.csv", members(row(outside)), 2015, target=served)
    assert [i.column for i in bad.issues] == [column]
    con = duckdb.connect(str(served))
    try:
        value = float(outside.replace(",", "."))
        with pytest.raises(duckdb.ConstraintException, match="CHECK constraint"):
            con.execute(f"update members set {column} = ? where year = 2015", [value])
    finally:
        con.close()


# ---------------------------------------------------------------- bombs, measured in a subprocess

MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
child = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
wall = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "peak_mb": peak, "out": child.stdout, "err": child.stderr[-2000:]}))
"""
READ = """
import sys, time
from pathlib import Path
from observatoire import upload
path = Path(sys.argv[1])
start = time.monotonic()
frame, issues = upload.read_upload(path.name, path.read_bytes())
print(f"{time.monotonic() - start:.2f}", "|".join(str(i) for i in issues), sep="\\n")
"""


def measure(path: Path) -> dict:
    """Read `path` in a fresh process; its wall time, peak resident memory and the French refusal."""
    done = subprocess.run([sys.executable, "-c", MEASURE, READ, str(path)], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=120)
    result = json.loads(done.stdout)
    read_time, message = (result["out"].splitlines() + ["", ""])[:2]
    result.update(read=float(read_time or "nan"), message=message)
    return result


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                 'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/>{sheets}{strings}</Types>')
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def write_xlsx(path: Path, sheet_rows, sheets: int = 1, shared=None, dimension: str | None = None) -> Path:
    """A minimal workbook written part by part (streamed), so multi-gigabyte contents stay cheap to make."""
    override = '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-' \
               'officedocument.spreadsheetml.worksheet+xml"/>'
    strings = '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-' \
              'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            sheets="".join(override.format(n=n) for n in range(1, sheets + 1)), strings=strings))
        z.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                                  'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>' + "".join(
            f'<sheet name="f{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)) + "</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                       for n in range(1, sheets + 1))
        if shared:
            rels += f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                for chunk in shared():
                    f.write(chunk)
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>')
        for n in range(1, sheets + 1):
            with z.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as f:
                declared = f'<dimension ref="{dimension}"/>' if dimension else ""
                f.write(f'<worksheet xmlns="{MAIN}">{declared}<sheetData>'.encode())
                for chunk in (sheet_rows() if n == 1 else iter([b""])):
                    f.write(chunk)
                f.write(b"</sheetData></worksheet>")
    return path


def header_row() -> bytes:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
                    for i, name in enumerate(HEADER.split(";")))
    return f'<row r="1">{cells}</row>'.encode()


def million_rows():
    yield header_row()
    for _ in range(100):
        yield b"<row><c><v>1</v></c></row>" * 10_000


def million_numbered_rows():
    yield header_row()
    for start in range(2, 1_000_002, 10_000):
        yield "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(start, start + 10_000)).encode()


def rows_under_the_ratio():
    yield header_row()
    for r in range(2, 200_002):
        yield f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>m-{r * 7919 % 1000003}</t></is></c></row>'.encode()


def wide_rows():
    yield header_row()
    yield ('<row r="2">' + "".join(f'<c r="{_letters(c)}2"><v>{c}</v></c>' for c in range(1, 16_385)) +
           "</row>").encode()


def empty_rows_to_the_end():
    yield header_row() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>m1</t></is></c></row>'
    yield b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t> </t></is></c></row>'


def one_gigabyte_string():
    yield f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    block = b"A" * (1 << 20)
    for _ in range(1024):
        yield block
    yield b"</t></si></sst>"


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("bombs")
    gigastring = write_xlsx(folder / "chaine-1-go.xlsx", lambda: iter([header_row()]), shared=one_gigabyte_string)
    csv_wide = folder / "ligne-sans-fin.csv"
    csv_wide.write_bytes(b"a;" * (upload.MAX_UPLOAD_BYTES // 2 - 10))
    return {
        "million-lignes": (write_xlsx(folder / "million-lignes.xlsx", million_rows, dimension="A1:G2"), "taux"),
        "million-lignes-sans-dimension": (write_xlsx(folder / "sans-dimension.xlsx", million_numbered_rows),
                                          "ne déclare pas sa taille"),
        "lignes-sous-le-taux": (write_xlsx(folder / "200000-lignes.xlsx", rows_under_the_ratio, dimension="A1:G2"),
                                "trop de lignes"),
        "chaine-1-go": (gigastring, "sharedStrings.xml"),
        "5000-feuilles": (write_xlsx(folder / "feuilles.xlsx", lambda: iter([header_row()]), sheets=5000),
                          "parties"),
        "16384-colonnes": (write_xlsx(folder / "colonnes.xlsx", wide_rows, dimension="A1:XFD2"), "trop de colonnes"),
        "lignes-vides-jusqu-a-la-fin": (write_xlsx(folder / "fin.xlsx", empty_rows_to_the_end, dimension="A1:A2"),
                                        "trop de lignes"),
        "csv-une-ligne-de-5-mo": (csv_wide, "trop de colonnes"),
    }


BOMBS = ["million-lignes", "million-lignes-sans-dimension", "lignes-sous-le-taux", "chaine-1-go", "5000-feuilles",
         "16384-colonnes", "lignes-vides-jusqu-a-la-fin", "csv-une-ligne-de-5-mo"]


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_is_refused_within_5_s_and_500_mb(bombs, name):
    path, expected = bombs[name]
    result = measure(path)
    print(f"\n{name}: {path.stat().st_size / 1e6:.2f} Mo, lecture {result['read']:.2f} s, processus "
          f"{result['wall']:.2f} s, pic mémoire {result['peak_mb']:.0f} Mo — {result['message'][:110]}")
    assert expected in result["message"], result
    assert result["read"] < 5 and result["peak_mb"] < 500, result
