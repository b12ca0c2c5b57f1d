"""The general-assembly deck as data: one Slide per slide, each a block of observatoire.blocks plus its footer
and speaker notes.

No Streamlit import. The presentation page, the PowerPoint and PDF export, the tests and the
benchmark all build the same specs with build_slides(con, territory, year). A slide carries its
block's data and chart spec, a footer (territory, reference year, short sources) and speaker
notes (full sources, quotes included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial

import duckdb
import pandas as pd

from observatoire import blocks, compare
from observatoire.block import Block, Chart, Where, unique

__all__ = ["Chart", "Slide", "build_slides", "default_selection", "from_blocks", "select"]

PLACES_MAX = 8  # a point map of at most this many points lists their names beside it
FOOTER_SOURCES_MAX = 100  # characters of sources printed in a footer; the notes carry them all


@dataclass(frozen=True)
class Slide(Block):
    """A block as a slide: its footer (territory, year, short sources) and speaker notes (full sources)."""

    footer: str = ""
    notes: str = ""
    locator: pd.DataFrame | None = None  # a project's place (name, place, lon, lat, dep_code) for its small map


# A project's place on a small map of France (its slide, full screen and in the deck).
LOCATOR = Chart("points", "name", (), hover="<b>{name}</b><br/>{place}", radius=11)


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


def as_slide(block: Block, territory_name: str, year: int, locator: pd.DataFrame | None = None) -> Slide:
    """The block with the footer and notes of a slide of this territory and year."""
    values = {f.name: getattr(block, f.name) for f in fields(Block)}
    return Slide(**values, footer=footer_text(territory_name, year, block.sources),
                 notes=notes_text(block.sources_full, block.remarks), locator=locator)


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


# The default deck, in order. Every other block a page shows follows, left out of the default deck, then one
# slide per project: the presentation offers exactly what the pages show (checked by walking every page).
# The comparison slides (a territory beside France and its peers) are in the default deck of a territory.
DECK = (title, blocks.key_figures, blocks.members_map, compare.members_rate, compare.type_mix, blocks.members_by_type,
        blocks.funding_mix, blocks.resources, blocks.cedre, blocks.cedre_engagements, blocks.new_certified_map,
        blocks.turnover, blocks.sectors)


def offered(con: duckdb.DuckDBPyConnection) -> list[Callable]:
    """The block functions of the presentation: the default deck's, then every block registry of the pages
    (blocks, the network's, the comparisons, the lists and tables), then each theme's table of published figures."""
    from observatoire import content_blocks, network_blocks

    registries = (blocks.PAGE_BLOCKS, network_blocks.PAGE_BLOCKS, compare.BLOCKS, content_blocks.PAGE_BLOCKS)
    more = [f for registry in registries for f in registry.values() if f not in DECK]
    themes = [partial(network_blocks.theme_figures, theme=t) for t in network_blocks.themes(con)]
    return [*DECK, *more, *themes]


def project_places(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> dict[str, pd.DataFrame]:
    """Each located project's place, by slide id, for its small map."""
    w = Where(con, territory, year)
    found = w.q("innovation_projects", territory=w.territory, axis=0)
    return {f"projet-{p.project_id}": pd.DataFrame([{"name": p.name, "place": p.place, "lon": p.lon, "lat": p.lat,
                                                      "dep_code": p.dep_code}])
            for p in found.itertuples() if pd.notna(p.lon) and pd.notna(p.lat)}


def build_slides(con: duckdb.DuckDBPyConnection, territory: str, year: int) -> list[Slide]:
    """Every slide available for a territory and reference year, in the default order.

    Slides with default=False (turnover, sectors, CEDRE map, engagements published for
    another territory, and the blocks of the pages outside the DECK) are offered to the
    presenter but left out of the default deck.
    """
    w = Where(con, territory, year)
    built = []
    for make in offered(con):
        b = make(con, territory, year)
        if b is not None and b.id not in {x.id for x in built}:
            built.append(b if make in DECK else replace(b, default=False))
    locators = project_places(con, territory, year)
    out = [as_slide(b, w.name, year) for b in built]
    return out + [as_slide(b, w.name, year, locators.get(b.id)) for b in blocks.projects(con, territory, year)]


def places(slide: Slide, most: int = PLACES_MAX) -> list[tuple[str, str]]:
    """(name, place) of a point map's few points, listed beside it on a slide; [] when there are more than most."""
    if slide.kind != "map" or slide.chart is None or slide.chart.kind != "points" or len(slide.data) > most:
        return []
    where = next((c for c in ("place", "commune") if c in slide.data.columns), None)
    return [(str(r["name"]), str(r[where]) if where and r[where] == r[where] else "") for _, r in slide.data.iterrows()]


def default_selection(slides: list[Slide]) -> list[str]:
    """Ids of the default deck, in order."""
    return [s.id for s in slides if s.default]


def select(slides: list[Slide], ids: Iterable[str]) -> list[Slide]:
    """The slides named by ids, in that order; unknown ids are skipped."""
    by_id = {s.id: s for s in slides}
    return [by_id[i] for i in ids if i in by_id]


def from_blocks(shown: Sequence[Block], territory_names: Sequence[str], year: int,
                located: dict[str, pd.DataFrame] | None = None) -> list[Slide]:
    """The slides of the blocks a page drew, as drawn (its measure, map level, search, axis): what the user sees is
    what the export holds. territory_names: each block's territory for its footer (a page on a territory also
    shows national blocks). A block already a Slide is kept; a repeated id (the territory's map, then France's)
    gets a suffix, since each slide's images are filed under its id."""
    out, seen = [], set()
    for block, name in zip(shown, territory_names, strict=True):
        slide = block if isinstance(block, Slide) else as_slide(block, name, year, (located or {}).get(block.id))
        n = 1
        while slide.id in seen:
            n += 1
            slide = replace(slide, id=f"{block.id}-{n}")
        seen.add(slide.id)
        out.append(slide)
    return out
