"""A fresh machine, as a new user meets it: `make chromium` / `make haproxy` install the Debian packages or say
in French what to install, and without Chromium the dashboard still runs with the deck export explaining what is
missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import deck
from observatoire.paths import ROOT


def non_root_path(tmp_path: Path) -> str:
    """A PATH where `id -u` says 1000 and sudo asks for a password: this user may not install packages."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "sudo").write_text("#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}"


def make(target: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", target], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_make_chromium_is_silent_when_chromium_is_there():
    present = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(present, os.X_OK):
        pytest.fail(f"{present} absent: `make test` should have installed it")
    result = make("chromium", {"CHROMIUM_PATH": present})
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


def test_make_haproxy_stops_with_a_french_message_when_it_cannot_install(tmp_path):
    result = make("haproxy", {"HAPROXY_PATH": str(tmp_path / "haproxy"), "PATH": non_root_path(tmp_path)})
    assert result.returncode != 0
    assert "haproxy est introuvable" in result.stderr
    assert "sudo apt-get install haproxy" in result.stderr
    assert "make serve, make load" in result.stderr


def test_make_chromium_stops_with_a_french_message_when_it_cannot_install(tmp_path):
    result = make("chromium", {"CHROMIUM_PATH": str(tmp_path / "chromium"), "PATH": non_root_path(tmp_path)})
    assert result.returncode != 0
    assert "chromium est introuvable" in result.stderr
    assert "sudo apt-get install chromium" in result.stderr
    assert "Les tests de bout en bout en ont besoin." in result.stderr


def test_make_run_goes_on_without_chromium_with_a_warning(tmp_path):
    result = make("chromium-optional", {"CHROMIUM_PATH": str(tmp_path / "chromium"), "PATH": non_root_path(tmp_path)})
    assert result.returncode == 0
    assert "Attention : chromium est introuvable" in result.stderr
    assert "seul l'export PowerPoint / PDF sera indisponible" in result.stderr


def test_make_run_and_make_test_ask_for_chromium():
    plan = subprocess.run(["make", "-n", "--no-print-directory", "run", "test"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60).stdout
    assert plan.count("scripts/ensure_debian.sh chromium") == 2
    assert "chromium /usr/bin/chromium optional" in plan and "chromium /usr/bin/chromium required" in plan
    assert "scripts/ensure_debian.sh haproxy /usr/sbin/haproxy required" in plan


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nulle/part/chromium")
    deck.missing_image_engine.cache_clear()
    yield
    monkeypatch.undo()
    deck.missing_image_engine.cache_clear()


@pytest.mark.parametrize("page", ["pages/1_adherents.py", "pages/8_presentation.py"])
def test_without_chromium_the_export_says_what_is_missing(built_db, no_chromium, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notices = [i.value for i in at.info]
    assert any("besoin du navigateur Chromium" in n and "apt-get install chromium" in n for n in notices), notices
    assert not [b for b in at.button if b.label == "Préparer le PowerPoint et le PDF"]
