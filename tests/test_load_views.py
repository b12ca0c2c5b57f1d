"""The load test asks for every view a person opens: each section of the pages in sections is served as that
section (not the page's first one again) through the same websocket session, as `make load` and `make bench` run
them on a real `streamlit run` server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import websockets

from bench.load import PAGE_PATHS, run_page, stream_url
from bench.pages import VIEWS
from bench.server import Server
from observatoire.ui import PAGES

EXPORT = "#### Exporter en PowerPoint et en PDF"


async def _headings(url: str) -> dict[str, set[str]]:
    drawn = {}
    async with websockets.connect(stream_url(url), subprotocols=["streamlit"], max_size=None) as ws:
        for view in PAGE_PATHS:
            texts: list[str] = []
            result = await run_page(ws, view, "territoire=fed-midi-pyrenees", texts=texts)
            assert result["exceptions"] == 0, (view, result["messages"])
            drawn[view] = {t for t in texts if t.startswith("#### ") and t != EXPORT}
    return drawn


def test_every_section_view_of_the_load_draws_its_own_blocks(built_db):
    assert len(PAGE_PATHS) == len(VIEWS) == sum(max(1, len(p.sections)) for p in PAGES if p.data)
    with Server(db=built_db) as server, ThreadPoolExecutor(1) as pool:
        # in its own thread: the browser tests' Playwright keeps an event loop running in this one
        drawn = pool.submit(asyncio.run, _headings(server.url)).result()
    for page in PAGES:
        views = [v for v in PAGE_PATHS if v.partition("?")[0] == page.url_path] if page.sections else []
        for i, first in enumerate(views):
            assert drawn[first], first
            for other in views[i + 1:]:
                assert not drawn[first] & drawn[other], (first, other, drawn[first] & drawn[other])
    assert any(h.startswith("#### Adhérents pour 100 000 habitants")
               for h in drawn["mon_territoire?onglet=Comparaison"])
