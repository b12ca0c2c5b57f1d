"""Text is text, in a real browser: hostile addresses and a database full of Markdown links, images and HTML.

A server runs on a copy of the database whose displayed text cells all carry
`[lien](https://evil.example) ![x](http://127.0.0.1:9/x.png) <img src=x onerror=alert(1)> **gras** `code``.
Every page is opened with the territory from a bookmark and with hostile query strings; on each, no
link or image leaves the app, no element carries an event handler from the data, and the browser asks
nothing of any other origin (port 9 of the same host included). Crafted websocket messages get
Streamlit's generic message, never a traceback; the detail stays in the server log.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlparse

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.server import Server
from observatoire import fmt
from tests.test_plain_text import hostile_copy

PAGES = ["", "adherents", "financements", "qualite_cedre", "innovation", "utilite_sociale", "mon_territoire",
         "sources", "presentation"]
QUERIES = [
    "fed-midi-pyrenees",
    "[Connexion admin](https://evil.example)",
    "![](http://127.0.0.1:9/x.png)",
    "<img src=x onerror=alert(1)>",
]
# Links, images, frames and SVG images of the page, with their absolute address, and elements with handlers.
_OUTSIDE_JS = """() => {
  const abs = (u) => { try { return new URL(u, document.baseURI).href; } catch (e) { return String(u); } };
  const out = [];
  for (const a of document.querySelectorAll('a')) {
    const href = a.getAttribute('href') || a.getAttribute('xlink:href');
    if (href) out.push(['a', abs(href), (a.textContent || '').slice(0, 80)]);
  }
  for (const i of document.querySelectorAll('img')) out.push(['img', abs(i.getAttribute('src') || ''), i.alt || '']);
  for (const i of document.querySelectorAll('image')) {
    out.push(['image', abs(i.getAttribute('href') || i.getAttribute('xlink:href') || ''), '']);
  }
  for (const f of document.querySelectorAll('iframe[src]')) out.push(['iframe', abs(f.getAttribute('src')), '']);
  for (const e of document.querySelectorAll('[onerror], [onload], [onclick]')) out.push(['handler', e.tagName, '']);
  return out;
}"""
LEAKS = (b"Traceback", b'.py"', b"File \"", b"site-packages")


def origin(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


@pytest.fixture(scope="module")
def hostile_server(built_db, tmp_path_factory, artifacts):
    db = hostile_copy(built_db, tmp_path_factory.mktemp("hostile-e2e") / "observatoire.duckdb")
    log = artifacts / "streamlit-hostile.log"
    with Server(db=db, log=log) as server:
        yield server.url, log


def outside(probe, app: str) -> list:
    """Links, images, frames of the page that point outside the app, and any event handler attribute."""
    found = []
    for kind, url, text in probe.page.evaluate(_OUTSIDE_JS):
        if kind == "handler":
            found.append((kind, url, text))
        elif not url.startswith(("data:", "blob:")) and origin(url) != app:
            found.append((kind, url, text))
        elif kind in ("img", "image") and urlparse(url).path.rsplit("/", 1)[-1] in ("x", "x.png"):
            found.append((kind, url, text))  # an image the data asked for, even on the app's own origin
    return found


def visible_text(probe) -> str:
    return probe.page.locator('[data-testid="stApp"]').inner_text().replace(fmt.WORD_JOINER, "")


@pytest.mark.parametrize("query", QUERIES, ids=["territoire", "lien", "image", "html"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "accueil" for p in PAGES])
def test_no_link_image_or_outside_request_on_any_page(hostile_server, probe, path, query):
    app, _ = hostile_server
    requests: list[str] = []
    probe.page.on("request", lambda request: requests.append(request.url))
    probe.open(f"{app}/{path}?territoire={quote(query)}")
    assert not probe.exceptions()
    assert outside(probe, app) == []
    text = visible_text(probe)
    if query != "fed-midi-pyrenees":  # the notice quotes the address as typed, as text
        assert f"« {query} »" in text
    if path not in ("utilite_sociale", "presentation"):  # pages that print database text outside tables
        assert "[lien](https://evil.example)" in text
    probe.page.wait_for_timeout(300)  # late requests (images, fonts) would show up here
    assert [u for u in requests if not u.startswith(("data:", "blob:")) and origin(u) != app] == []


def test_chart_labels_and_hover_show_the_text_not_a_link(hostile_server, probe):
    app, _ = hostile_server
    probe.open(f"{app}/adherents?territoire=fed-midi-pyrenees")
    chart = probe.page.locator(".js-plotly-plot", has=probe.page.locator(".barlayer")).first
    ticks = chart.locator(".ytick text").all_text_contents()
    assert any("<img src=x onerror=alert(1)>" in t for t in ticks), ticks
    chart.locator(".barlayer .point path").first.hover(force=True)  # plotly listens on its drag layer
    hover = chart.locator(".hoverlayer")
    hover.locator("text").first.wait_for(timeout=5000)
    assert "[lien](https://evil.example)" in hover.text_content()
    assert hover.locator("a").count() == 0
    assert outside(probe, app) == []


def test_presentation_slides_show_database_text_as_text(hostile_server, probe):
    app, _ = hostile_server
    requests: list[str] = []
    probe.page.on("request", lambda request: requests.append(request.url))
    probe.open(f"{app}/presentation?territoire=fed-midi-pyrenees")
    probe.act(lambda: probe.page.get_by_role("button", name="Lancer la présentation").click())
    for _ in range(4):
        assert outside(probe, app) == []
        assert "<img src=x onerror=alert(1)>" in visible_text(probe) or "[lien]" in visible_text(probe)
        probe.act(lambda: probe.page.get_by_role("button", name="Suivant").click())
    assert [u for u in requests if not u.startswith(("data:", "blob:")) and origin(u) != app] == []


# --------------------------------------------------------------------------- crafted websocket messages


async def _run(ws, back: BackMsg) -> list[tuple[bytes, ForwardMsg]]:
    await ws.send(back.SerializeToString())
    received = []
    while True:
        raw = await asyncio.wait_for(ws.recv(), 60)
        msg = ForwardMsg.FromString(raw)
        received.append((raw, msg))
        if msg.WhichOneof("type") == "script_finished":
            return received


def _rerun(*states: dict) -> BackMsg:
    back = BackMsg()
    back.rerun_script.query_string = "territoire=fed-midi-pyrenees"
    for state in states:
        widget = back.rerun_script.widget_states.widgets.add()
        for field, value in state.items():
            if field == "int_array_value":
                widget.int_array_value.data.extend(value)
            else:
                setattr(widget, field, value)
    return back


def _widget_ids(received) -> dict[str, str]:
    ids = {}
    for _, msg in received:
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            widget = getattr(element, element.WhichOneof("type"))
            if isinstance(getattr(widget, "id", None), str) and widget.id:
                ids[widget.id.rsplit("-", 1)[-1]] = widget.id
    return ids


async def _crafted(url: str) -> list[tuple[str, list]]:
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=30) as ws:
        year = _widget_ids(await _run(ws, _rerun()))["filter_year"]
        cases = {
            "identifiant inconnu": _rerun({"id": "$$ID-00000000000000000000000000000000-inconnu", "int_value": 1}),
            "identifiant malformé": _rerun({"id": "../../etc/passwd\x00"}),
            "index hors liste": _rerun({"id": year, "int_value": 10**6}),
            "type inattendu": _rerun({"id": year, "int_array_value": [1, 2, 3]}),
            "chaîne à la place d'un index": _rerun({"id": year, "string_value": "<img src=x>"}),
        }
        return [(name, await _run(ws, back)) for name, back in cases.items()]


def test_crafted_websocket_messages_never_show_a_traceback(hostile_server):
    app, log = hostile_server
    # Playwright's event loop runs in this thread (the session's browser): the client gets its own thread.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, _crafted(app)).result(timeout=300)
    failures = []
    for name, received in results:
        for raw, msg in received:
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                continue  # Streamlit sends the entry script's path there to every client, crafted or not
            if any(leak in raw for leak in LEAKS) or b"/work/" in raw or str(app).encode() in raw:
                failures.append((name, kind, raw[:200]))
            if kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
                exception = msg.delta.new_element.exception
                if exception.stack_trace or exception.type or "redacted" not in exception.message:
                    failures.append((name, "exception", str(exception)[:300]))
        assert received[-1][1].WhichOneof("type") == "script_finished"
    assert failures == []
    # the detail stays in the server log
    assert "Traceback" in log.read_text(encoding="utf-8", errors="replace")
