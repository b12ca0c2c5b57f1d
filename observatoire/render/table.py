"""A block's table as a slide shows it: French cells, rows capped with a line saying how many are left out.

One shape for the three media: the full-screen slide and the PDF print its HTML (real text), the
PowerPoint draws the same header and rows as a native table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.api.types import is_numeric_dtype

from observatoire import fmt, tables

ROWS_MAX = 10  # rows of data on a slide; a total row is kept below the « … et N autres lignes » line
LINES_MAX = 12  # lines of text on a slide: a long cell wraps and counts as several
LINE_CHARS = 110  # characters a slide's width holds, shared by its text columns
LEFT_OUT = ("Source",)  # the footer and the speaker notes carry a slide's sources
MORE = "… et {n} autres lignes (voir le tableau complet sur le tableau de bord)"
MORE_ONE = "… et 1 autre ligne (voir le tableau complet sur le tableau de bord)"
TOTAL = "Total"


@dataclass(frozen=True)
class SlideTable:
    """Header, formatted rows, which columns are numbers, the « … et N autres lignes » line and the total row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    more: str = ""
    total: tuple[str, ...] = ()


def slide_table(df: pd.DataFrame, rows_max: int = ROWS_MAX) -> SlideTable:
    """The rows a slide shows: the first rows_max, the total row (first cell « Total ») kept last."""
    df = df.drop(columns=[c for c in LEFT_OUT if c in df.columns])
    numeric = tuple(is_numeric_dtype(df[c]) and not df[c].dtype == bool for c in df.columns)
    formatted = tables.shown(df)  # the pages' one French path: 2 014 never, « oui », « — » for an empty cell
    rows = [tuple(str(v) for v in r) for r in formatted.itertuples(index=False)]
    total = rows.pop() if rows and rows[-1][0] == TOTAL else ()
    shown, lines = 0, 0
    for row in rows[:rows_max]:
        lines += max(1, -(-sum(len(v) + 2 for v in row) // LINE_CHARS))
        if lines > LINES_MAX:
            break
        shown += 1
    left = len(rows) - shown
    return SlideTable(tuple(str(c) for c in formatted.columns), tuple(rows[:shown]), numeric,
                      more_line(left), total)


def more_line(left: int) -> str:
    """« … et N autres lignes (…) », singular for one, empty for none."""
    return "" if left <= 0 else MORE_ONE if left == 1 else MORE.format(n=left)


def table_html(t: SlideTable, css_class: str = "pres-table") -> str:
    """The table as HTML; every cell escaped (names come from the database or an import)."""
    def cells(row, tag: str) -> str:
        return "".join(f'<{tag} class="{"num" if n else "txt"}">{fmt.html_text(v)}</{tag}>'
                       for v, n in zip(row, t.numeric))

    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in t.rows)
    if t.more:
        body += f'<tr class="more"><td colspan="{len(t.header)}">{fmt.html_text(t.more)}</td></tr>'
    if t.total:
        body += f'<tr class="total">{cells(t.total, "td")}</tr>'
    return f'<table class="{css_class}"><thead><tr>{cells(t.header, "th")}</tr></thead><tbody>{body}</tbody></table>'
