"""Administrator credentials: a salted PBKDF2 hash in .streamlit/secrets.toml, never the password.

`make admin-password` runs `python -m observatoire.auth` to create them.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import os
import secrets
import sys
import tomllib
from pathlib import Path

from observatoire.paths import ROOT

SECRETS_PATH = ROOT / ".streamlit" / "secrets.toml"
ITERATIONS = 600_000
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str, salt: str, iterations: int = ITERATIONS) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), iterations).hex()


def make_entry(username: str, password: str) -> dict:
    """The [admin] table written to secrets.toml."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    if not username.strip():
        raise ValueError("L'identifiant ne peut pas être vide.")
    salt = secrets.token_hex(16)
    return {"username": username.strip(), "salt": salt, "iterations": ITERATIONS,
            "password_hash": hash_password(password, salt)}


def verify(admin: dict | None, username: str, password: str) -> bool:
    """Constant-time check of a login against the [admin] table (False when none is configured)."""
    if not admin or not {"username", "salt", "password_hash"} <= set(admin):
        return False
    expected = admin["password_hash"]
    given = hash_password(password, admin["salt"], int(admin.get("iterations", ITERATIONS)))
    return hmac.compare_digest(given, expected) and hmac.compare_digest(username, admin["username"])


def write_secrets(entry: dict, path: Path = SECRETS_PATH) -> None:
    """Write (or replace) the [admin] table, keeping any other table of the file."""
    existing = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    existing["admin"] = entry
    lines = []
    for table, values in existing.items():
        lines.append(f"[{table}]")
        for key, value in values.items():
            rendered = str(value) if isinstance(value, int) else '"' + str(value).replace('"', '\\"') + '"'
            lines.append(f"{key} = {rendered}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Crée l'accès administrateur (secrets.toml).")
    parser.add_argument("--username", default=None)
    args = parser.parse_args(argv)
    username = args.username or input("Identifiant administrateur : ")
    password = os.environ.get("OBSERVATOIRE_ADMIN_PASSWORD") or getpass.getpass("Mot de passe (12 caractères min.) : ")
    try:
        entry = make_entry(username, password)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    write_secrets(entry, secrets_path())
    print(f"Accès administrateur enregistré dans {secrets_path()} (mot de passe haché et salé).")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def secrets_path() -> Path:
    """OBSERVATOIRE_SECRETS overrides the location (tests)."""
    return Path(os.environ.get("OBSERVATOIRE_SECRETS", SECRETS_PATH))


def load_admin() -> dict | None:
    """The [admin] table, or None when no administrator is configured."""
    path = secrets_path()
    if not path.is_file():
        return None
    try:
        admin = tomllib.loads(path.read_text(encoding="utf-8")).get("admin")
    except tomllib.TOMLDecodeError:
        return None
    return admin if admin and {"username", "salt", "password_hash"} <= set(admin) else None
