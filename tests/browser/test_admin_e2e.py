"""The administration page in a real browser: nothing but a login form until a successful login.

The account is created by the real `make admin-password`, for a non-ASCII user name.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect

from bench.server import Server
from observatoire.paths import ROOT

USER = "Hélène Dupré"
PASSWORD = "un mot de passe de test assez long"


@pytest.fixture(scope="module")
def admin_server(built_db, tmp_path_factory, artifacts):
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_ADMIN_")}
    made = subprocess.run(["make", "--no-print-directory", "admin-password"], cwd=ROOT, stdin=subprocess.DEVNULL,
                          env={**env, "OBSERVATOIRE_SECRETS": str(secrets), "OBSERVATOIRE_ADMIN_USER": USER,
                               "OBSERVATOIRE_ADMIN_PASSWORD": PASSWORD},
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    runtime = tmp_path_factory.mktemp("runtime")
    with Server(db=built_db, env={"OBSERVATOIRE_SECRETS": str(secrets), "OBSERVATOIRE_RUNTIME": str(runtime)},
                log=artifacts / "admin_server.log") as s:
        yield s.url


def uploaders(page) -> int:
    return page.locator('[data-testid="stFileUploader"]').count()


def login(probe, password: str, username: str = USER) -> None:
    page = probe.page
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    probe.act(lambda: page.get_by_role("button", name="Se connecter").click())


def test_without_login_only_the_form_is_shown(admin_server, probe, artifacts):
    probe.open(f"{admin_server}/administration")
    page = probe.page
    assert page.get_by_role("button", name="Se connecter").count() == 1
    assert uploaders(page) == 0
    assert page.get_by_role("tab").count() == 0
    login(probe, "mauvais mot de passe")
    # the DOM may lag behind the run: expect() retries
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="Identifiant ou mot de passe incorrect.")
           ).to_have_count(1)
    assert page.get_by_role("tab").count() == 0 and uploaders(page) == 0
    page.screenshot(path=str(artifacts / "administration_refusee.png"))
    assert probe.exceptions() == [] and probe.console_errors == [] and probe.blocked == []


def test_the_right_password_opens_the_import_tabs(admin_server, probe, artifacts):
    probe.open(f"{admin_server}/administration")
    login(probe, PASSWORD)
    expect(probe.page.get_by_role("tab")).to_have_text(
        ["Modèles de fichiers", "Importer", "Versions et retour arrière"])
    expect(probe.page.get_by_text(f"Connecté·e : {USER}.")).to_have_count(1)
    probe.page.screenshot(path=str(artifacts / "administration_connectee.png"))
    assert probe.exceptions() == [] and probe.console_errors == [] and probe.blocked == []


def test_repeated_failures_are_throttled_with_a_french_message(admin_server, probe):
    probe.open(f"{admin_server}/administration")
    for _ in range(3):
        login(probe, "pas le bon mot de passe", username="intrus")
    locked = re.compile(r"Trop d'essais infructueux pour cet identifiant : réessayez dans (30|29|28|27) s\.")
    expect(probe.page.locator('[data-testid="stAlert"]').filter(has_text=locked)).to_have_count(1)
    login(probe, "pas le bon mot de passe", username="INTRUS")  # same name, other case: refused unchecked
    alerts = probe.page.locator('[data-testid="stAlert"]')
    expect(alerts).to_have_count(1)
    expect(alerts.filter(has_text=locked)).to_have_count(1)
    assert probe.page.get_by_role("tab").count() == 0


def test_without_credentials_the_page_allows_nothing(server, probe):
    # the session server has no administrator configured (no secrets file in a fresh clone)
    probe.open(f"{server}/administration")
    text = " ".join(probe.page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert "make admin-password" in text
    assert probe.page.get_by_role("button", name="Se connecter").count() == 0 and uploaders(probe.page) == 0
