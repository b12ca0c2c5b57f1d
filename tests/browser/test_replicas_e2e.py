"""Two replicas behind HAProxy in a real browser: each browser pinned to one replica by its cookie, sessions
running every page through the proxy's websocket, an import made through one replica served by the other at its
next rerun, and a stopped replica left out by the health check."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from bench.load import load
from deploy.serve import Cluster, healthy
from observatoire import auth
from tests.browser.conftest import PageProbe
from tests.test_replicas import COOKIE, PASSWORD, REGISTER_2015


@pytest.fixture(scope="module")
def cluster(built_db, tmp_path_factory, artifacts):
    """Two replicas and HAProxy on free loopback ports, reading one copy of the test database."""
    tmp = tmp_path_factory.mktemp("replicas")
    shared = tmp / "shared.duckdb"
    shutil.copyfile(built_db, shared)
    auth.write_secrets(auth.make_entry("admin", PASSWORD), tmp / "secrets.toml")
    env = {"OBSERVATOIRE_DB": str(shared), "OBSERVATOIRE_SECRETS": str(tmp / "secrets.toml"),
           "OBSERVATOIRE_RUNTIME": str(tmp / "runtime"), "OBSERVATOIRE_VERSIONS": str(tmp / "versions")}
    logs = artifacts / "replicas"
    logs.mkdir(exist_ok=True)
    with Cluster(2, env=env, log_dir=logs) as running:
        yield running


def answered_by(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """The replica that answered a GET through the proxy, and the affinity cookie the proxy set."""
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        set_cookie = response.headers.get("Set-Cookie") or ""
        given = set_cookie.split(";")[0].split("=", 1)[1] if set_cookie.startswith(COOKIE) else None
        return response.headers["X-Observatoire-Replica"], given


def test_each_browser_is_pinned_to_one_replica_by_its_cookie(cluster):
    assert all(healthy(r.url) for r in cluster.replicas)  # the health check of each replica
    first = [answered_by(cluster.url + "/") for _ in range(4)]
    assert {replica for replica, _ in first} == {"r1", "r2"}  # new browsers are spread
    assert all(replica == cookie for replica, cookie in first)  # and told where they landed
    for name in ("r1", "r2"):
        assert {answered_by(cluster.url + "/adherents", name) for _ in range(5)} == {(name, None)}


def test_sessions_run_every_page_through_the_proxy_websocket(cluster):
    # the load client runs its own event loop: in a thread, beside the browser tests' Playwright loop
    result = {}
    worker = threading.Thread(target=lambda: result.update(load(cluster.url, sessions=4, seconds=3, max_runs=8)))
    worker.start()
    worker.join(timeout=120)
    summary = result
    assert summary["errors"] == [] and summary["page_runs"] >= 4 and summary["sessions_served"] == 4


def _pinned(browser, cluster, replica: str) -> PageProbe:
    probe = PageProbe(browser)
    probe.context.add_cookies([{"name": COOKIE, "value": replica, "url": cluster.url}])
    return probe


def _replica_of(probe: PageProbe, cluster) -> str:
    """The replica the proxy sends this browser to (its cookie, checked on a request of the same context)."""
    response = probe.page.request.get(cluster.url + "/_stcore/health")
    return response.headers["x-observatoire-replica"]


def test_an_import_through_one_replica_is_served_by_the_other(cluster, browser, artifacts):
    admin = PageProbe(browser)
    reader = None
    try:
        admin.open(f"{cluster.url}/administration")
        importer = _replica_of(admin, cluster)
        other = "r2" if importer == "r1" else "r1"
        reader = _pinned(browser, cluster, other)
        reader.open(cluster.url + "/")
        assert _replica_of(reader, cluster) == other
        expect(reader.page.get_by_text("Adhérents par COORACE régional, 2014")).to_have_count(1)

        page = admin.page
        page.get_by_label("Identifiant").fill("admin")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        admin.act(lambda: page.get_by_role("button", name="Se connecter").click())
        page.get_by_role("tab", name="Importer").click()
        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        # the upload (/_stcore/upload_file) goes through the proxy to the replica holding the session
        admin.act(lambda: uploader.set_input_files(
            {"name": "registre-2015.csv", "mimeType": "text/csv", "buffer": REGISTER_2015}))
        expect(page.get_by_text("registre-2015.csv : fichier valide, 2 ligne(s)")).to_have_count(1)
        admin.act(lambda: page.get_by_role("button", name="Confirmer l'import").click(), timeout=120_000)
        expect(page.get_by_text("Import enregistré (version")).to_have_count(1, timeout=60_000)
        page.screenshot(path=str(artifacts / "replicas_import.png"))
        assert _replica_of(admin, cluster) == importer

        reader.open(cluster.url + "/")  # the other replica's next run reads the new file
        assert _replica_of(reader, cluster) == other
        expect(reader.page.get_by_text("Adhérents par COORACE régional, 2015")).to_have_count(1)
        expect(reader.combobox("Année des données")).to_have_value("2015")
        reader.page.screenshot(path=str(artifacts / "replicas_other_after_import.png"))
        assert admin.exceptions() == [] and reader.exceptions() == []  # offline maps: tests/browser/test_maps_e2e
    finally:
        admin.close()
        if reader:
            reader.close()


def test_a_replica_that_stops_is_left_out_by_the_health_check(cluster):
    gone = cluster.replicas[1]
    gone.stop()
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            if answered_by(cluster.url + "/", "r2")[0] == "r1":
                break
        except OSError:  # 503 until HAProxy's check marks r2 down
            pass
        time.sleep(0.5)
    assert answered_by(cluster.url + "/", "r2") == ("r1", "r1")  # sent to r1, and told so
    assert healthy(cluster.url)
