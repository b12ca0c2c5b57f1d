"""French number formats, from Babel's fr_FR locale data (never hand-written separators), and data as plain text."""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache

import pandas as pd
from babel.numbers import format_compact_decimal, format_decimal

from observatoire import units

LOCALE = "fr_FR"
MISSING = "n.d."
EMPTY = "—"  # an empty cell of a table (never None, nan or <NA>)


def _missing(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    try:
        return bool(pd.isna(value))  # pd.NA, NaT, numpy NaN
    except (TypeError, ValueError):
        return False


def number(value, decimals: int | None = None) -> str:
    """1234 -> '1 234'; 28.5 -> '28,5'; 0.094 -> '0,09'; decimals fixes the number of digits after the comma."""
    if _missing(value):
        return MISSING
    try:
        return _number(value, decimals)
    except TypeError:  # an unhashable value: format it without the cache
        return _number.__wrapped__(value, decimals)


@lru_cache(maxsize=4096)
def _number(value, decimals: int | None) -> str:
    if decimals is None:  # a small rate (0,09 new certified per 100 000 inhabitants) keeps two digits, not « 0,1 »
        decimals = 0 if float(value).is_integer() else (2 if abs(float(value)) < 1 else 1)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(value, decimals: int | None = None) -> str:
    """21.3 (a percentage, not a ratio) -> '21,3 %'."""
    if _missing(value):
        return MISSING
    return f"{number(value, decimals)}\u00a0%"


def compact(value, decimals: int = 1) -> str:
    """2812000 -> '2,8 M'."""
    if _missing(value):
        return MISSING
    return format_compact_decimal(value, format_type="short", fraction_digits=decimals, locale=LOCALE)


def year(value) -> str:
    """2014 -> '2014' (a year never takes a thousands separator); missing -> '—'."""
    return EMPTY if _missing(value) else str(int(value))


def euros(value) -> str:
    """4549860 -> '4 549 860 €', in full: tables and tooltips keep every digit the document gives."""
    return EMPTY if _missing(value) else f"{number(value, 0)}\u00a0€"


def yes_no(value) -> str:
    """True -> 'oui', False -> 'non', missing -> '—'."""
    return EMPTY if _missing(value) else ("oui" if value else "non")


def with_unit(value, unit: str) -> str:
    """A value in its published unit, the way a French report prints it.

    Money is shown compactly in euros ('2,8 M€', '708 k€'); counts get thousands
    separators; percentages get a narrow space before '%'.
    """
    if _missing(value):
        return MISSING
    try:
        return _with_unit(value, unit)
    except TypeError:  # an unhashable value: format it without the cache
        return _with_unit.__wrapped__(value, unit)


# Babel takes about 0.1 ms per number; pages format the same figures at every rerun.
@lru_cache(maxsize=4096)
def _with_unit(value, unit: str) -> str:
    if unit == "%":
        return percent(value)
    if unit in units.MONEY:
        euros = float(value) * units.MONEY[unit]
        if abs(euros) >= 1e6:
            return f"{compact(euros)}€"
        if abs(euros) >= 1e4:
            return f"{number(euros / 1e3, 0)}\u00a0k€"
        return f"{number(euros, 0)}\u00a0€"
    if unit == "année":
        return str(int(value))
    text = number(value)
    return f"{text}\u00a0{unit}" if unit in units.SPELLED_AFTER else text


# --------------------------------------------------------------------------- data as plain text
# Names, sources and notes come from the database, an imported file or the URL: they must show as
# the characters they are, never as a link, an image, HTML or formatting.

# Characters that open a Markdown construct anywhere in a line (links, images, emphasis, code,
# strikethrough, math, raw HTML, entities, tables, headings, Streamlit's colour directives).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]<>&$#|{}])")
# Block constructs that only exist at the start of a line (lists, quotes, setext rules).
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\f\v\u2028\u2029]+[ \t]*")
# Literal autolinks (https://…, www.…, name@host) and shortcodes (:smile:, :material/…:) are found in
# the text after Markdown escapes are resolved, so a backslash cannot stop them: an invisible word
# joiner after the scheme, the "@" or the colon does.
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|www|mailto|xmpp)(?=[:.])|@|:(?=[\w/+\-])")
WORD_JOINER = "\u2060"


def as_text(value) -> str:
    """The value as a string, '' when missing: for APIs that show text as is (st.text, tables)."""
    return "" if _missing(value) else str(value)


def plain(value) -> str:
    """A data string made literal for Streamlit's Markdown (st.markdown, st.caption, st.info, labels, help).

    Every Markdown-significant character is backslash-escaped, line breaks become spaces, and
    autolinks are broken, so the reader sees the characters and nothing is fetched or clickable.
    """
    text = _LINE_BREAKS.sub(" ", as_text(value)).strip(" \t")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)
    return _AUTOLINK.sub(lambda m: m[0] + WORD_JOINER, text)


def html_text(value) -> str:
    """A data string made literal inside HTML (st.html, the presentation's slides)."""
    return html.escape(as_text(value), quote=True)


def plotly_text(value) -> str:
    """A data string made literal for plotly, whose labels and hovers read <a href>, <b>, <br> and entities.

    Only &, < and > are escaped: plotly decodes &amp; &lt; &gt; back, not &quot;.
    """
    return as_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
