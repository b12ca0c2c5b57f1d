"""The deck as a PDF with real text: each page laid out as positioned HTML, printed by headless Chromium.

Text boxes are HTML text in the deck's font (selectable, searchable); charts and maps are
inline SVG from plotly, so the PDF holds vector shapes and text rather than pictures.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from observatoire.render.layout import LINE, PAGE_H, PAGE_W, Box, ChartBox, MapBox, Page, Rect, TableBox, Text
from observatoire.render.table import table_html

Progress = Callable[[float, str], None]
FONT_STACK = '"Liberation Sans", Arial, sans-serif'
STYLE = f"""
@page {{ size: {PAGE_W}in {PAGE_H}in; margin: 0 }}
* {{ box-sizing: border-box }}
html, body {{ margin: 0; padding: 0; font-family: {FONT_STACK}; -webkit-print-color-adjust: exact;
  print-color-adjust: exact }}
.page {{ position: relative; width: {PAGE_W}in; height: {PAGE_H}in; overflow: hidden; break-after: page;
  background: white }}
.page:last-child {{ break-after: auto }}
.box {{ position: absolute; display: flex; flex-direction: column }}
.box p {{ margin: 0; white-space: pre-wrap; line-height: {LINE} }}
.figure svg {{ width: 100%; height: 100%; display: block }}
.pres-table {{ border-collapse: collapse; width: 100%; color: #1f2430 }}
.pres-table th {{ text-align: left; color: #5f6368; border-bottom: 1.5pt solid #1f2430; padding: 2pt 5pt;
  vertical-align: bottom }}
.pres-table td {{ padding: 2pt 5pt; border-bottom: 0.5pt solid #e3e6ea }}
.pres-table .num {{ text-align: right }}
.pres-table tr.more td {{ font-style: italic; color: #5f6368; text-align: left }}
.pres-table tr.total td {{ font-weight: bold; border-top: 1.5pt solid #1f2430 }}
"""
TIMEOUT = 180  # seconds for Chromium to print the whole deck


def _place(box: Box) -> str:
    return f"left:{box.x}in;top:{box.y}in;width:{box.w}in;height:{box.h}in"


def _text(item: Text) -> str:
    justify = {"top": "flex-start", "middle": "center", "bottom": "flex-end"}[item.valign]
    style = f"{_place(item.box)};padding:{item.pad}in;justify-content:{justify};text-align:{item.align}"
    if item.fill:
        style += f";background:{item.fill};border-radius:{min(item.box.w, item.box.h) * 0.08}in"
    paras = []
    for i, p in enumerate(item.paras):
        after = p.size * p.space_after if i < len(item.paras) - 1 else 0
        css = (f"font-size:{p.size}pt;color:{p.colour};margin-bottom:{after}pt"
               + (";font-weight:bold" if p.bold else "") + (";font-style:italic" if p.italic else ""))
        paras.append(f'<p style="{css}">{html.escape(p.text)}</p>')
    return f'<div class="box" data-name="{html.escape(item.name)}" style="{style}">{"".join(paras)}</div>'


def _svg(image: bytes) -> str:
    """An SVG document as an inline element, scaled to its box (kaleido sizes it in CSS pixels)."""
    text = image.decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    head = text[:text.index(">")]
    if "viewBox" not in head:
        width = re.search(r'\bwidth="([\d.]+)', head).group(1)
        height = re.search(r'\bheight="([\d.]+)', head).group(1)
        text = text.replace("<svg", f'<svg viewBox="0 0 {width} {height}"', 1)
    return text


def page_html(page: Page, images: dict) -> str:
    """One slide as an absolutely positioned HTML page."""
    parts = []
    for item in page.items:
        if isinstance(item, Text):
            parts.append(_text(item))
        elif isinstance(item, Rect):
            parts.append(f'<div class="box" style="{_place(item.box)};background:{item.fill}"></div>')
        elif isinstance(item, TableBox):  # the full-screen slide's HTML table, in points
            parts.append(f'<div class="box" data-name="Tableau" style="{_place(item.box)};font-size:{item.font}pt">'
                         f"{table_html(item.table)}</div>")
        elif isinstance(item, ChartBox | MapBox):
            svg = _svg(images[(item.slide.id, type(item), "svg")])
            parts.append(f'<div class="box figure" style="{_place(item.box)}">{svg}</div>')
    return f'<section class="page">{"".join(parts)}</section>'


def deck_html(pages: Sequence[Page], images: dict) -> str:
    """The whole deck as one HTML document, one slide a printed page."""
    body = "\n".join(page_html(p, images) for p in pages)
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Observatoire COORACE</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def write(pages: Sequence[Page], images: dict, browser: str, progress: Progress | None = None) -> bytes:
    """The PDF of the deck, printed in one go by headless Chromium from a local HTML file."""
    if progress:
        progress(0.0, f"PDF : impression des {len(pages)} pages")
    with tempfile.TemporaryDirectory(prefix="observatoire-pdf-") as tmp:
        folder = Path(tmp)
        source, out = folder / "deck.html", folder / "deck.pdf"
        source.write_text(deck_html(pages, images), encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
                   source.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if not out.is_file() or out.stat().st_size == 0:
            raise RuntimeError(f"Chromium n'a pas produit le PDF (code {done.returncode}) : {done.stderr[-500:]}")
        return out.read_bytes()
