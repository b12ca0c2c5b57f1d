"""The general-assembly deck as data: one Slide per slide, each a block of observatoire.blocks plus its footer
and speaker notes.

No Streamlit import. The presentation page, the PowerPoint and PDF export, the tests and the
benchmark all build the same specs with build_slides(con, territory, year). A slide carries its
block's data and chart spec, a footer (territory, reference year, short sources) and speaker
notes (full sources, quotes included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

import duckdb

from observatoire import blocks
from observatoire.block import Block, Chart, Where, unique

__all__ = ["Chart", "Slide", "build_slides", "default_selection", "select"]

FOOTER_SOURCES_MAX = 100  # characters of sources printed in a footer; the notes carry them all


@dataclass(frozen=True)
class Slide(Block):
    """A block as a slide: its footer (territory, year, short sources) and speaker notes (full sources)."""

    footer: str = ""
    notes: str = ""


def footer_text(territory_name: str, year: int, sources: Iterable[str]) -> str:
    """"<territoire> · données <année> · Sources : ...", short enough for one line."""
    sources = unique(sources)
    text = " ; ".join(sources)
    if len(text) > FOOTER_SOURCES_MAX:
        documents = unique(s.split(",")[0] for s in sources)
        text = " ; ".join(documents) + " (détail dans les notes)"
    return f"{territory_name} · données {year} · Sources : {text}"


def notes_text(sources: Iterable[str], extra: Iterable[str] = ()) -> str:
    """Speaker notes: every source in full, one per line, then remarks (demonstration data, map credits)."""
    lines = ["Sources :"] + [f"- {s}" for s in unique(sources)]
    extra = [e for e in extra if e]
    return "\n".join(lines + ([""] + extra if extra else []))


def as_slide(block: Block, territory_name: str, year: int) -> Slide:
    """The block with the footer and notes of a slide of this territory and year."""
    values = {f.name: getattr(block, f.name) for f in fields(Block)}
    return Slide(**values, footer=footer_text(territory_name, year, block.sources),
                 notes=notes_text(block.sources_full, block.remarks))


def title(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> Block:
    """The cover: territory, year, the documents the figures come from."""
    w = Where(con, territory, year)
    documents = w.q("source_documents")
    return blocks.make(
        "titre", f"Observatoire COORACE — {w.name}", "title", documents.short_title,
        [f"{d.title} ({d.publisher}, {d.year})" for d in documents.itertuples()],
        subtitle=f"Chiffres clés du réseau · données {w.year}", scope=w.name,
        body=("Chiffres publiés par COORACE (rapport d'activité, synthèse « utilité sociale territoriale ») "
              "et registre des adhérents.",),
    )


DECK = (title, blocks.key_figures, blocks.members_map, blocks.members_by_type, blocks.funding_mix, blocks.resources,
        blocks.cedre, blocks.cedre_engagements, blocks.new_certified_map, blocks.turnover, blocks.sectors)


def build_slides(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> list[Slide]:
    """Every slide available for a territory and reference year, in the default order.

    Slides with default=False (turnover, sectors, CEDRE map, engagements published for
    another territory) are offered to the presenter but left out of the default deck.
    """
    name = Where(con, territory, year).name
    built = [make(con, territory, year) for make in DECK] + blocks.projects(con, territory, year)
    return [as_slide(b, name, year) for b in built if b is not None]


def default_selection(slides: list[Slide]) -> list[str]:
    """Ids of the default deck, in order."""
    return [s.id for s in slides if s.default]


def select(slides: list[Slide], ids: Iterable[str]) -> list[Slide]:
    """The slides named by ids, in that order; unknown ids are skipped."""
    by_id = {s.id: s for s in slides}
    return [by_id[i] for i in ids if i in by_id]
