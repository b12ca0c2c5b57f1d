"""`make admin-password` run as a user runs it, and the login throttle shared by sessions and processes."""

from __future__ import annotations

import os
import pty
import select
import stat
import subprocess
import sys
import time
import tomllib
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from observatoire import auth, throttle
from observatoire.paths import ROOT

PASSWORD = "un mot de passe assez long"


def make_admin_password(secrets, username=None, password=None):
    """`make admin-password` from the repository, stdin not a terminal, values in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_ADMIN_")}
    env["OBSERVATOIRE_SECRETS"] = str(secrets)
    if username is not None:
        env["OBSERVATOIRE_ADMIN_USER"] = username
    if password is not None:
        env["OBSERVATOIRE_ADMIN_PASSWORD"] = password
    return subprocess.run(["make", "--no-print-directory", "admin-password"], cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def admin_of(secrets) -> dict:
    return tomllib.loads(secrets.read_text(encoding="utf-8"))["admin"]


@pytest.mark.parametrize("username", ["Hélène", "DOMAINE\\admin", 'a"b', "admin"])
def test_make_admin_password_writes_a_private_toml_file_with_a_hash(tmp_path, username):
    secrets = tmp_path / "conf" / "secrets.toml"
    done = make_admin_password(secrets, username, PASSWORD)
    assert done.returncode == 0, done.stderr
    assert f"Accès administrateur « {username} » enregistré dans {secrets}" in done.stdout
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    text = secrets.read_text(encoding="utf-8")
    assert PASSWORD not in text
    admin = tomllib.loads(text)["admin"]
    assert admin["username"] == username and admin["iterations"] == auth.ITERATIONS
    assert auth.verify(admin, username, PASSWORD)
    assert not auth.verify(admin, username, PASSWORD + "x")
    assert not auth.verify(admin, username + "x", PASSWORD)
    assert [p.name for p in secrets.parent.iterdir()] == ["secrets.toml"]  # no temporary file left


def test_user_name_and_password_compare_in_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Hélène Dupré")
    password = unicodedata.normalize("NFD", "mot de passe accentué éèà")
    secrets = tmp_path / "secrets.toml"
    assert make_admin_password(secrets, decomposed, password).returncode == 0
    admin = admin_of(secrets)
    assert admin["username"] == "Hélène Dupré"  # stored composed
    assert auth.verify(admin, "Hélène Dupré", unicodedata.normalize("NFC", password))
    assert auth.verify(admin, decomposed, password)
    assert not auth.verify(admin, "Helene Dupre", unicodedata.normalize("NFC", password))


def test_username_argument_and_other_tables_kept(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.db]\nurl = "postgres://x"\n\n[admin]\nusername = "ancien"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "observatoire.auth", "--username", "Zoé"], cwd=ROOT,
                          env={**os.environ, "OBSERVATOIRE_SECRETS": str(secrets),
                               "OBSERVATOIRE_ADMIN_PASSWORD": PASSWORD},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    content = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert content["connections"] == {"db": {"url": "postgres://x"}}
    assert auth.verify(content["admin"], "Zoé", PASSWORD)
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600


def test_a_short_password_is_refused_and_nothing_is_written(tmp_path):
    secrets = tmp_path / "secrets.toml"
    done = make_admin_password(secrets, "admin", "court")
    assert done.returncode != 0
    assert ("Erreur : Le mot de passe doit compter au moins 12 caractères (il en compte 5) : "
            "rien n'a été enregistré.") in done.stderr
    assert not secrets.exists() and list(tmp_path.iterdir()) == []


def test_an_invalid_existing_file_is_left_alone(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[admin\nusername = ", encoding="utf-8")
    done = make_admin_password(secrets, "admin", PASSWORD)
    assert done.returncode != 0
    assert f"Le fichier {secrets} existe mais n'est pas un TOML valide" in done.stderr
    assert secrets.read_text(encoding="utf-8") == "[admin\nusername = "


@pytest.mark.parametrize(("username", "password", "missing"), [
    ("admin", None, "Mot de passe manquant : pas de terminal pour le demander. Passez-le par la variable "
                    "d'environnement OBSERVATOIRE_ADMIN_PASSWORD."),
    (None, PASSWORD, "Identifiant manquant : pas de terminal pour le demander. Passez-le par la variable "
                     "d'environnement OBSERVATOIRE_ADMIN_USER ou par --username."),
])
def test_without_a_terminal_a_missing_value_is_an_error_not_a_prompt(tmp_path, username, password, missing):
    secrets = tmp_path / "secrets.toml"
    done = make_admin_password(secrets, username, password)
    assert done.returncode == 2  # make's own code for a failed recipe
    assert f"Erreur : {missing}" in done.stderr and "Identifiant administrateur :" not in done.stdout
    assert not secrets.exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_ADMIN_")}
    env |= {"OBSERVATOIRE_SECRETS": str(secrets), **({"OBSERVATOIRE_ADMIN_USER": username} if username else {}),
            **({"OBSERVATOIRE_ADMIN_PASSWORD": password} if password else {})}
    direct = subprocess.run([sys.executable, "-m", "observatoire.auth"], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert direct.returncode == auth.EXIT_MISSING_INPUT == 2 and direct.stderr == f"Erreur : {missing}\n"


def _converse(fd, answers: list[tuple[str, str]], timeout=60) -> str:
    """Answer prompts on a pseudo-terminal; return everything the command printed."""
    seen, deadline = b"", time.monotonic() + timeout
    for prompt, answer in answers:
        while prompt.encode() not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            if select.select([fd], [], [], 1)[0]:
                seen += os.read(fd, 4096)
        seen = seen.replace(prompt.encode(), b"", 1)
        os.write(fd, answer.encode() + b"\n")
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the command ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


def test_make_admin_password_asks_on_a_terminal(tmp_path):
    secrets = tmp_path / "secrets.toml"
    pid, fd = pty.fork()
    if pid == 0:  # child: run make exactly as a user at a terminal
        env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_ADMIN_")}
        env["OBSERVATOIRE_SECRETS"] = str(secrets)
        os.chdir(ROOT)
        os.execvpe("make", ["make", "--no-print-directory", "admin-password"], env)
    output = _converse(fd, [("Identifiant administrateur : ", "Hélène Dupré"),
                            ("Mot de passe (12 caractères au moins) : ", PASSWORD),
                            ("Le même mot de passe, une seconde fois : ", PASSWORD)])
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert PASSWORD not in output  # getpass does not echo
    assert auth.verify(admin_of(secrets), "Hélène Dupré", PASSWORD)


# --- throttle -------------------------------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = time.time()  # starts at the real time, shared with real processes

    def __call__(self) -> float:
        return self.now


def fail(guard: throttle.Throttle, name: str) -> throttle.Verdict:
    return guard.begin(name)  # counted as failed until `succeeded`


def test_three_free_attempts_then_a_growing_delay_capped_at_15_minutes(tmp_path):
    clock = Clock()
    guard = throttle.Throttle(tmp_path, clock)
    assert all(fail(guard, "admin").allowed for _ in range(3))
    waits = []
    for _ in range(8):
        refused = guard.begin("admin")
        assert not refused.allowed
        waits.append(refused.wait)
        clock.now = refused.retry_at - 1
        assert not guard.begin("admin").allowed  # one second early: still refused, nothing counted
        clock.now = refused.retry_at
        assert fail(guard, "admin").allowed
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]
    assert guard.failures("admin") == 11


def test_success_resets_and_other_names_are_independent(tmp_path):
    clock = Clock()
    guard = throttle.Throttle(tmp_path, clock)
    for _ in range(3):
        fail(guard, "admin")
    assert not guard.status("admin").allowed and guard.status("autre").allowed
    clock.now += 30
    assert guard.begin("admin").allowed
    guard.succeeded("admin")
    assert guard.failures("admin") == 0 and guard.status("admin").allowed
    assert all(guard.begin("admin").allowed for _ in range(3))


def test_unknown_names_are_throttled_under_every_spelling(tmp_path):
    guard = throttle.Throttle(tmp_path, Clock())
    for name in ["Hélène", unicodedata.normalize("NFD", "HÉLÈNE"), "  hélène "]:
        assert guard.begin(name).allowed
    assert not guard.begin("hélène").allowed
    assert guard.failures("HÉLÈNE") == 3
    assert b"l\xc3\xa8ne" not in (tmp_path / throttle.DB_NAME).read_bytes()  # names are not kept in clear


def test_failures_are_forgotten_after_a_day_without_any(tmp_path):
    clock = Clock()
    guard = throttle.Throttle(tmp_path, clock)
    for _ in range(4):
        clock.now += 3600
        fail(guard, "admin")
    clock.now += throttle.FORGET_AFTER + 1
    assert guard.begin("admin").allowed and guard.failures("admin") == 1


def test_two_processes_share_the_same_counts(tmp_path):
    clock = Clock()
    first, second = throttle.Throttle(tmp_path, clock), throttle.Throttle(tmp_path, clock)
    first.begin("admin")
    second.begin("admin")
    first.begin("admin")
    assert not second.begin("admin").allowed
    second.succeeded("admin")
    assert first.begin("admin").allowed
    # a real second process, while this one holds nothing
    code = ("import sys; from observatoire import throttle; g = throttle.Throttle(sys.argv[1]);"
            "print([g.begin('ADMIN').allowed for _ in range(3)])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.strip() == "[True, True, False]", out.stderr
    assert not first.status("admin").allowed and first.failures("admin") == 3


def test_concurrent_processes_never_get_more_than_the_free_attempts(tmp_path):
    code = ("import sys; from observatoire import throttle; g = throttle.Throttle(sys.argv[1]);"
            "print(sum(g.begin('admin').allowed for _ in range(20)))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    allowed = [int(p.communicate(timeout=60)[0]) for p in procs]
    assert sum(allowed) == throttle.FREE_ATTEMPTS


def test_a_damaged_file_starts_afresh(tmp_path):
    (tmp_path / throttle.DB_NAME).write_bytes(b"not a database at all" * 100)
    guard = throttle.Throttle(tmp_path, Clock())
    assert guard.begin("admin").allowed and guard.failures("admin") == 1


def test_retry_message_in_french_with_the_time_in_france():
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 12, 1, 14, 30, 0, tzinfo=paris).timestamp()
    assert throttle.retry_message(throttle.Verdict(False, now + 120, 120)) == (
        "Trop d'essais infructueux pour cet identifiant : réessayez dans 2 min (à 14 h 32).")
    assert throttle.retry_message(throttle.Verdict(False, now + 61, 61)) == (
        "Trop d'essais infructueux pour cet identifiant : réessayez dans 2 min (à 14 h 32).")
    assert throttle.retry_message(throttle.Verdict(False, now + 29.2, 29.2)) == (
        "Trop d'essais infructueux pour cet identifiant : réessayez dans 30 s.")
    morning = datetime(2026, 7, 1, 9, 5, 0, tzinfo=paris).timestamp()
    assert throttle.retry_message(throttle.Verdict(False, morning + 900, 900)) == (
        "Trop d'essais infructueux pour cet identifiant : réessayez dans 15 min (à 9 h 20).")
