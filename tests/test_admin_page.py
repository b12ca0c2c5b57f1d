"""The administration page allows nothing without a configured, successful login."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import auth, throttle
from observatoire.paths import ROOT

PASSWORD = "mot de passe de test très long"
LOCKED = re.compile(r"Trop d'essais infructueux pour cet identifiant : réessayez dans (30|29|28) s\.")


def admin_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/9_administration.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def runtime(tmp_path, monkeypatch):
    """A fresh login throttle for each test (the page keeps it under OBSERVATOIRE_RUNTIME)."""
    path = tmp_path / "runtime"
    monkeypatch.setenv("OBSERVATOIRE_RUNTIME", str(path))
    return path


def try_login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
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


def test_wrong_passwords_are_throttled_across_sessions(built_db, secrets, runtime):
    sessions = [admin_page() for _ in range(10)]
    answers = []
    for _ in range(5):
        for i, at in enumerate(sessions):
            try_login(at, "admin", f"mauvais mot de passe {i}")
            answers.append([e.value for e in at.error] + [w.value for w in at.warning])
    assert len(answers) == 50
    # three passwords checked in all (the third failure says when to retry), then every attempt of every
    # session is refused without a check
    assert answers[:2] == [["Identifiant ou mot de passe incorrect."]] * 2
    assert answers[2][0] == "Identifiant ou mot de passe incorrect." and LOCKED.fullmatch(answers[2][1])
    assert all(len(a) == 1 and LOCKED.fullmatch(a[0]) for a in answers[3:]), answers[3:6]
    assert throttle.Throttle(runtime).failures("admin") == 3
    # the right password, from a new session, while the name is locked out: refused too
    at = try_login(admin_page(), "Admin", PASSWORD)
    assert len(at.error) == 1 and LOCKED.fullmatch(at.error[0].value)
    assert len(at.tabs) == 0 and "admin_user" not in at.session_state


def test_unknown_names_are_throttled_and_do_not_lock_out_others(built_db, secrets, runtime):
    at = admin_page()
    for _ in range(3):
        try_login(at, "inconnu", "n'importe quoi de long")
    assert LOCKED.fullmatch(try_login(at, "INCONNU", "n'importe quoi de long").error[0].value)
    try_login(at, "admin", PASSWORD)
    assert [t.label for t in at.tabs] == ["Modèles de fichiers", "Importer", "Versions et retour arrière"]


def test_a_success_wipes_earlier_failures(built_db, secrets, runtime):
    at = admin_page()
    try_login(at, "admin", "premier essai raté")
    try_login(at, "admin", "second essai raté")
    assert throttle.Throttle(runtime).failures("admin") == 2
    try_login(at, "admin", PASSWORD)
    assert at.session_state["admin_user"] == "admin" and len(at.tabs) == 3
    assert throttle.Throttle(runtime).failures("admin") == 0


@pytest.mark.parametrize("username", ["Hélène Dupré", "DOMAINE\\admin", 'a"b'])
def test_any_unicode_user_name_logs_in(built_db, tmp_path, monkeypatch, username):
    path = tmp_path / "secrets.toml"
    auth.write_secrets(auth.make_entry(username, PASSWORD), path)
    monkeypatch.setenv("OBSERVATOIRE_SECRETS", str(path))
    at = try_login(admin_page(), username, PASSWORD)
    assert at.session_state["admin_user"] == username and len(at.tabs) == 3
