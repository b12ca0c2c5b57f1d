"""Browser fixtures: a real `streamlit run` on a free port, driven by Debian Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from observatoire.paths import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Console noise Streamlit itself produces on deep links (see shared/STACK_NOTES.md).
HARMLESS_CONSOLE = ("/_stcore/health", "/_stcore/host-config", "favicon")

# Streamlit marks its root: data-test-script-state is "notRunning" once a script run is over.
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length > 0;
}"""
# A run is over when the server says so; FINISHED_EARLY_FOR_RERUN means another run follows.
_RUN_OVER = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(built_db, artifacts) -> str:
    """Start the dashboard on a free port against the test database; yield its base URL."""
    port = free_port()
    env = {**os.environ, "OBSERVATOIRE_DB": str(built_db)}
    log = open(artifacts / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("Le serveur Streamlit n'a pas démarré en 60 s (voir tests/artifacts/streamlit.log)")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian « chromium »")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


class PageProbe:
    """A Playwright page that blocks every request leaving localhost and records errors."""

    def __init__(self, browser, width=1400, height=900):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        self.runs_done = 0  # script runs the server reported finished (ForwardMsg.script_finished)
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))
        self.page.route("**/*", self._route)

    def _route(self, route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _on_frame(self, payload):
        if not isinstance(payload, bytes):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except DecodeError:
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished in _RUN_OVER:
            self.runs_done += 1

    def _on_console(self, msg):
        if msg.type != "error":
            return
        text = f"{msg.text} @ {msg.location.get('url', '')}"
        if not any(h in text for h in HARMLESS_CONSOLE):
            self.console_errors.append(text)

    def open(self, url: str, timeout=30000):
        before = self.runs_done
        self.page.goto(url, wait_until="domcontentloaded")
        self.wait_run(before, timeout)
        self.wait_idle(timeout)

    def wait_run(self, before: int, timeout=30000):
        """Wait until the server has reported a script run finished after `before` runs."""
        deadline = time.monotonic() + timeout / 1000
        while self.runs_done <= before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"aucune exécution du script terminée en {timeout / 1000:.0f} s")
            self.page.wait_for_timeout(50)  # lets Playwright dispatch the websocket events

    def wait_idle(self, timeout=30000):
        """Wait until the script run is over and every element is drawn (not stale, no skeleton)."""
        page = self.page
        page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
        page.wait_for_function(_IDLE_JS, timeout=timeout)
        page.wait_for_timeout(300)

    def act(self, action, timeout=30000):
        """Do something that makes Streamlit re-run (click, select, page link), then wait for that run.

        The DOM may lag behind the server's messages: assert what follows with playwright's expect().
        """
        before = self.runs_done
        action()
        self.wait_run(before, timeout)
        self.wait_idle(timeout)

    def combobox(self, label: str):
        """A Streamlit selectbox by its label (the sidebar's filters included)."""
        return self.page.get_by_role("combobox", name=label, exact=True)

    def choose(self, label: str, option: str):
        """Pick an option of a Streamlit selectbox, typing to filter long lists; waits for the re-run."""
        box = self.combobox(label)

        def pick():
            box.click()
            box.fill(option)
            self.page.get_by_role("option", name=option, exact=True).click()

        self.act(pick)

    def screenshot_full_height(self, path, max_height=8000):
        """Screenshot of the whole page: Streamlit scrolls inside stMain, so grow the viewport to fit it."""
        size = self.page.viewport_size
        height = self.page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        self.page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), max_height)})
        try:
            self.page.wait_for_timeout(800)
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(size)

    def exceptions(self) -> list[str]:
        return self.page.locator('[data-testid="stException"]').all_inner_texts()

    def close(self):
        # Pending route handlers would print CancelledError tracebacks when the context closes.
        self.page.unroute_all(behavior="ignoreErrors")
        self.context.close()


@pytest.fixture
def probe(browser):
    p = PageProbe(browser)
    yield p
    p.close()
