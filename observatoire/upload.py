"""Read an uploaded CSV or XLSX file into a table of text, or say in French why it cannot be read.

What spreadsheet software writes is accepted: UTF-8 with or without BOM, else Windows-1252 (French
Excel's « CSV (séparateur : point-virgule) »), `;`, `,` or tab, any line ending, trailing empty
columns, rows shorter than the header (Excel drops trailing separators). Reading costs a bounded
amount whatever the file holds: the XLSX zip is inspected before it is opened, then the sheet is
streamed (openpyxl read-only) and reading stops at the first limit (rows, columns, cells, cell length).
The frame's index is the spreadsheet row number (header = row 1), so every message can name its row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 30_000  # data rows (a register holds a few thousand members)
MAX_COLUMNS = 30
MAX_CELLS = 400_000  # cells read from an XLSX sheet, empty ones included
MAX_CELL_CHARS = 10_000
MAX_ZIP_MEMBERS = 100  # an XLSX written by Excel or LibreOffice holds 10 to 30
MAX_SHEET_BYTES = 100 * 1024 * 1024  # uncompressed size of a worksheet, streamed
MAX_PART_BYTES = 10 * 1024 * 1024  # any other part (shared strings, styles...) is parsed whole by openpyxl
# openpyxl parses a whole worksheet at opening when it does not declare its size (<dimension>, which Excel
# and LibreOffice always write): such a sheet must stay small.
MAX_UNDECLARED_SHEET_BYTES = 5 * 1024 * 1024
# Only these are trimmed around cells: str.strip() would also silently drop control characters (U+001C-U+001F,
# U+0085) that the validator must see and refuse.
BLANKS = " \t\r\n\u00a0\u2009\u202f"
MAX_ZIP_RATIO = 40  # uncompressed / compressed: Excel files stay under 20, zip bombs go far above


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


class Refused(Exception):
    """Reading stopped: the file breaks a limit or cannot be read (one French issue)."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


def _fr(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _mo(size: float) -> str:
    return f"{_fr(round(size / 2**20))} Mo"


# ---------------------------------------------------------------- CSV

def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM) when valid, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Refused(Issue(None, None, "fichier enregistré en UTF-16 (« Texte Unicode ») : enregistrez-le en "
                                        "« CSV (séparateur : point-virgule) » ou en « CSV UTF-8 »"))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused(_bad_byte(data, exc.start + 3, "le fichier s'annonce en UTF-8")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise Refused(_bad_byte(data, exc.start, "ni UTF-8 ni Windows-1252")) from None


def _bad_byte(data: bytes, at: int, why: str) -> Issue:
    line = data.count(b"\n", 0, at) + 1
    return Issue(None, None, f"encodage non reconnu : octet 0x{data[at]:02X} à la ligne {line} du fichier ({why}) ; "
                             "enregistrez le fichier en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »")


def sniff_delimiter(text: str) -> str:
    """`;`, `,` or tab: the one the header line holds most often (outside quotes)."""
    header = re.split(r"[\r\n]", text, maxsplit=1)[0]
    header = re.sub(r'"[^"]*"', "", header)
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _csv_error(exc: csv.Error, row: int, line: int) -> Issue:
    text = str(exc)
    if "field larger than field limit" in text:
        return Issue(row, None, f"cellule trop longue (plus de {_fr(MAX_CELL_CHARS)} caractères)")
    if "unexpected end of data" in text:
        return Issue(row, None, f"guillemet ouvert à la ligne {line} du fichier et jamais refermé")
    if "expected after" in text:
        return Issue(row, None, "guillemet mal placé : une cellule entre guillemets doit finir par un guillemet "
                                "suivi du séparateur (doublez les guillemets à l'intérieur)")
    return Issue(row, None, f"CSV illisible à la ligne {line} du fichier (guillemets ou séparateurs mal placés)")


def _csv_rows(text: str):
    """(row number, cells) of every record, checking limits as it goes."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    row = 0
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise Refused(_csv_error(exc, row, reader.line_num)) from None
        if row > MAX_ROWS + 1:
            raise Refused(Issue(row, None, f"trop de lignes : plus de {_fr(MAX_ROWS)} lignes de données"))
        yield row, cells


def _read_csv(data: bytes) -> pd.DataFrame:
    text = decode(data)
    if not text.strip(BLANKS):
        raise Refused(Issue(None, None, "le fichier est vide"))
    return _frame(_csv_rows(text))


# ---------------------------------------------------------------- XLSX

def check_zip(data: bytes) -> None:
    """Refuse a workbook whose zip would cost too much to open (members, sizes, compression ratio)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(Issue(None, None, "classeur Excel 97-2003 (.xls) ou fichier protégé par mot de passe : "
                                        "enregistrez-le au format .xlsx (sans mot de passe) ou en CSV"))
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused(Issue(None, None, "classeur XLSX illisible : ce n'est pas un fichier .xlsx "
                                        "(enregistrez-le à nouveau depuis Excel ou LibreOffice)")) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise Refused(Issue(None, None, f"classeur refusé : {_fr(len(members))} parties (feuilles, images…), "
                                        f"maximum {MAX_ZIP_MEMBERS} ; gardez une seule feuille de données"))
    for member in members:
        if member.file_size > MAX_SHEET_BYTES:
            raise Refused(Issue(None, None, f"classeur refusé : la partie « {member.filename[:60]} » fait "
                                            f"{_mo(member.file_size)} une fois décompressée "
                                            f"(maximum {_mo(MAX_SHEET_BYTES)})"))
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_RATIO * max(len(data), 1):
        raise Refused(Issue(None, None, f"classeur refusé : {_mo(total)} décompressés pour "
                                        f"{len(data) / 2**20:.1f} Mo déposés (taux {total / len(data):.0f}, maximum "
                                        f"{MAX_ZIP_RATIO}) ; ce classeur n'a pas l'air écrit par un tableur"
                                        .replace(".", ",")))
    archive = zipfile.ZipFile(io.BytesIO(data))
    for member in members:
        if member.file_size > MAX_UNDECLARED_SHEET_BYTES:
            _check_part(archive, member)


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A large part: a worksheet declaring its size (streamed), else no more than MAX_PART_BYTES."""
    def refuse(why: str) -> None:
        raise Refused(Issue(None, None, f"classeur refusé : la partie « {member.filename[:60]} » {why}"))

    size = _mo(member.file_size)
    try:
        with archive.open(member) as part:
            head = part.read(65536)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        refuse("est illisible")
    if not re.search(rb"<(\w+:)?worksheet\b", head):
        if member.file_size > MAX_PART_BYTES:
            refuse(f"fait {size} une fois décompressée (maximum {_mo(MAX_PART_BYTES)} hors feuilles de "
                   "calcul)")
    elif not re.search(rb"<(\w+:)?dimension\b", head):
        refuse(f"est une feuille de {size} qui ne déclare pas sa taille (maximum {_mo(MAX_UNDECLARED_SHEET_BYTES)}) "
               ": enregistrez le classeur depuis Excel ou LibreOffice")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # integers typed in Excel come back as 2015.0
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_rows(book, sheet):
    """(row number, cells) of the sheet, streamed; stops at the first formula or limit."""
    from openpyxl.utils import get_column_letter

    sheet.reset_dimensions()  # the declared size may lie: read what is there
    cells_read = 0
    header: list[str] = []
    for row, cells in enumerate(sheet.iter_rows(), start=1):
        if row > MAX_ROWS + 1:
            raise Refused(Issue(row, None, f"trop de lignes : la feuille continue au-delà de {_fr(MAX_ROWS)} lignes "
                                           "de données (supprimez les lignes vides ou mises en forme à la fin)"))
        cells_read += len(cells)
        if cells_read > MAX_CELLS:
            raise Refused(Issue(row, None, f"classeur trop grand : plus de {_fr(MAX_CELLS)} cellules lues"))
        values = []
        for index, cell in enumerate(cells):
            name = header[index] if index < len(header) and header[index] else get_column_letter(index + 1)
            if cell.data_type == "f":
                raise Refused(Issue(row, name, f"formule interdite en {get_column_letter(index + 1)}{row} "
                                               f"({str(cell.value)[:40]}) : collez des valeurs"))
            values.append(_cell_text(cell.value))
        if not header and any(v.strip(BLANKS) for v in values):
            header = [v.strip(BLANKS) for v in values]
        yield row, values


def _read_xlsx(data: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook

    check_zip(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same user error
        raise Refused(Issue(None, None, "classeur XLSX illisible : le fichier est abîmé ou n'a pas été écrit par "
                                        "un tableur (enregistrez-le à nouveau depuis Excel ou LibreOffice)")) from None
    try:
        names = {name.casefold(): name for name in book.sheetnames}
        sheets = book.worksheets
        if not sheets:
            raise Refused(Issue(None, None, "le classeur ne contient aucune feuille de calcul"))
        sheet = book[names["données"]] if "données" in names else sheets[0]
        try:
            return _frame(_xlsx_rows(book, sheet))
        except Refused:
            raise
        except Exception:  # noqa: BLE001 - a damaged sheet is reported, never a traceback
            raise Refused(Issue(None, None, "classeur XLSX illisible : la feuille de données est abîmée "
                                            "(enregistrez-la à nouveau depuis Excel ou LibreOffice)")) from None
    finally:
        book.close()


# ---------------------------------------------------------------- table

def _frame(rows) -> pd.DataFrame:
    """The header (first non-empty row) and the data rows, checked as they are read."""
    header: list[str] | None = None
    body: list[list[str]] = []
    numbers: list[int] = []
    for row, cells in rows:
        if len(cells) > MAX_COLUMNS and any(c.strip(BLANKS) for c in cells[MAX_COLUMNS:]):
            raise Refused(Issue(row, None, f"trop de colonnes : {_fr(len(cells))} (maximum {MAX_COLUMNS})"))
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                name = header[index] if header and index < len(header) else f"n° {index + 1}"
                raise Refused(Issue(row, name, f"cellule trop longue : {_fr(len(cell))} caractères "
                                               f"(maximum {_fr(MAX_CELL_CHARS)})"))
        if not any(c.strip(BLANKS) for c in cells):
            continue
        if header is None:
            header = [c.strip(BLANKS) for c in cells]
            while header and not header[-1]:
                header.pop()
            header_row = row
            continue
        body.append(_fit(cells, header, row))
        numbers.append(row)
    if header is None:
        raise Refused(Issue(None, None, "le fichier est vide"))
    _check_header(header, header_row, body)
    return pd.DataFrame(body, columns=header, index=pd.Index(numbers, name="ligne"), dtype=str)


def _fit(cells: list[str], header: list[str], row: int) -> list[str]:
    """A row as long as the header: short rows padded, extra cells allowed only when empty."""
    width = len(header)
    extra = [c for c in cells[width:] if c.strip(BLANKS)]
    if extra:
        raise Refused(Issue(row, None, f"{len(cells)} valeurs pour {width} colonnes : « {extra[0][:40]} » est "
                                       "hors des colonnes (séparateur dans une valeur non mise entre guillemets ?)"))
    return [c.strip(BLANKS) for c in cells[:width]] + [""] * (width - len(cells))


def _check_header(header: list[str], header_row: int, body: list[list[str]]) -> None:
    for index, name in enumerate(header):
        if not name and any(r[index] for r in body):
            raise Refused(Issue(header_row, None, f"la colonne n° {index + 1} a des valeurs mais pas de titre"))


def read_upload(filename: str, data: bytes) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The uploaded table as text (index: row number), or the reason it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        size = f"{len(data) / 2**20:.1f}".replace(".", ",")
        return None, [Issue(None, None, f"fichier trop volumineux : {size} Mo (maximum {_mo(MAX_UPLOAD_BYTES)})")]
    if not data:
        return None, [Issue(None, None, "le fichier est vide")]
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            if data.startswith(b"PK\x03\x04"):
                raise Refused(Issue(None, None, "ce fichier .csv est en fait un classeur XLSX : déposez-le avec "
                                                "l'extension .xlsx ou enregistrez-le en CSV"))
            frame = _read_csv(data)
        elif suffix == ".xlsx":
            frame = _read_xlsx(data)
        else:
            return None, [Issue(None, None, f"format « {suffix or 'sans extension'} » non pris en charge : "
                                           "déposez un fichier .csv ou .xlsx")]
    except Refused as refused:
        return None, [refused.issue]
    if frame.empty:
        return None, [Issue(None, None, "le fichier ne contient aucune ligne de données")]
    return frame, []
