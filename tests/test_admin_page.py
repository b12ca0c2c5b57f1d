"""The administration page allows nothing without a configured, successful login."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import auth
from observatoire.paths import ROOT

PASSWORD = "mot de passe de test très long"


def admin_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/9_administration.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    auth.write_secrets(auth.make_entry("admin", PASSWORD), path)
    monkeypatch.setenv("OBSERVATOIRE_SECRETS", str(path))
    return path


def test_without_credentials_the_page_explains_and_allows_nothing(built_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_SECRETS", str(tmp_path / "absent.toml"))
    at = admin_page()
    assert "make admin-password" in at.warning[0].value
    assert len(at.tabs) == 0 and len(at.text_input) == 0


def test_without_login_there_is_only_the_login_form(built_db, secrets):
    at = admin_page()
    assert [t.label for t in at.text_input] == ["Identifiant", "Mot de passe"]
    assert len(at.tabs) == 0
    assert not any("Importer" in str(b.label) for b in at.button)


def test_a_wrong_password_is_refused(built_db, secrets):
    at = admin_page()
    at.text_input(key="login_username").input("admin")
    at.text_input(key="login_password").input("mauvais mot de passe")
    at.button[0].click().run()
    assert "Identifiant ou mot de passe incorrect." in [e.value for e in at.error]
    assert len(at.tabs) == 0


def test_the_right_password_opens_templates_imports_and_versions(built_db, secrets):
    at = admin_page()
    at.text_input(key="login_username").input("admin")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert [t.label for t in at.tabs] == ["Modèles de fichiers", "Importer", "Versions et retour arrière"]
