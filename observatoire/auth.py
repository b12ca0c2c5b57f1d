"""Administrator credentials: a salted PBKDF2 hash in .streamlit/secrets.toml, never the password.

`make admin-password` runs `python -m observatoire.auth` to create them, interactively or from a script
(OBSERVATOIRE_ADMIN_USER or --username, OBSERVATOIRE_ADMIN_PASSWORD).
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
import unicodedata
from pathlib import Path

import tomli_w

from observatoire.paths import ROOT

SECRETS_PATH = ROOT / ".streamlit" / "secrets.toml"
ITERATIONS = 600_000
MIN_PASSWORD_LENGTH = 12
REQUIRED_KEYS = {"username", "salt", "password_hash"}
# Exit codes of `python -m observatoire.auth`.
EXIT_INVALID = 1
EXIT_MISSING_INPUT = 2


def normalise(text: str) -> str:
    """NFC form, so that « é » typed as one or two code points is the same user name or password."""
    return unicodedata.normalize("NFC", text)


def secrets_path() -> Path:
    """OBSERVATOIRE_SECRETS overrides the location (tests, several deployments on one machine)."""
    return Path(os.environ.get("OBSERVATOIRE_SECRETS", SECRETS_PATH))


def hash_password(password: str, salt: str, iterations: int = ITERATIONS) -> str:
    """PBKDF2-SHA256 of the NFC password (UTF-8), as hex."""
    return hashlib.pbkdf2_hmac("sha256", normalise(password).encode("utf-8"), bytes.fromhex(salt),
                               iterations).hex()


def make_entry(username: str, password: str) -> dict:
    """The [admin] table written to secrets.toml."""
    username = normalise(username).strip()
    if not username:
        raise ValueError("L'identifiant ne peut pas être vide.")
    if len(normalise(password)) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères "
                         f"(il en compte {len(normalise(password))}) : rien n'a été enregistré.")
    salt = secrets.token_hex(16)
    return {"username": username, "salt": salt, "iterations": ITERATIONS,
            "password_hash": hash_password(password, salt)}


def verify(admin: dict | None, username: str, password: str) -> bool:
    """Constant-time check of a login against the [admin] table (False when none is configured).

    The hash is always computed and both comparisons always run, on bytes (compare_digest refuses
    non-ASCII str), so that the time taken does not tell whether the user name was right.
    """
    if not admin or not REQUIRED_KEYS <= set(admin):
        return False
    given = hash_password(password, admin["salt"], int(admin.get("iterations", ITERATIONS)))
    hash_ok = hmac.compare_digest(given.encode("ascii"), str(admin["password_hash"]).encode("utf-8"))
    name_ok = hmac.compare_digest(normalise(username).strip().encode("utf-8"),
                                  normalise(str(admin["username"])).encode("utf-8"))
    return hash_ok & name_ok


def read_secrets(path: Path) -> dict:
    """The existing secrets file as a dict ({} when absent); a French error when it is not valid TOML."""
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"Le fichier {path} existe mais n'est pas un TOML valide ({exc}) : corrigez-le ou "
                         "supprimez-le, puis relancez la commande. Rien n'a été modifié.") from exc


def write_secrets(entry: dict, path: Path | None = None) -> None:
    """Write (or replace) the [admin] table, keeping any other table of the file.

    The new file is a temporary file of the same folder created with mode 0600 (never readable by
    others, not even for an instant), then swapped in with os.replace.
    """
    path = Path(path) if path is not None else secrets_path()
    content = read_secrets(path)
    content["admin"] = entry
    data = tomli_w.dumps(content).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_admin() -> dict | None:
    """The [admin] table, or None when no administrator is configured."""
    try:
        admin = read_secrets(secrets_path()).get("admin")
    except ValueError:
        return None
    return admin if isinstance(admin, dict) and REQUIRED_KEYS <= set(admin) else None


class MissingInput(Exception):
    """A value the command needs, absent from the arguments and the environment, with no terminal to ask."""


def ask_username(given: str | None, interactive: bool) -> str:
    """--username, else OBSERVATOIRE_ADMIN_USER, else a prompt on a terminal."""
    username = given or os.environ.get("OBSERVATOIRE_ADMIN_USER")
    if username:
        return username
    if not interactive:
        raise MissingInput("Identifiant manquant : pas de terminal pour le demander. Passez-le par la variable "
                           "d'environnement OBSERVATOIRE_ADMIN_USER ou par --username.")
    return input("Identifiant administrateur : ")


def ask_password(interactive: bool) -> str:
    """OBSERVATOIRE_ADMIN_PASSWORD, else typed twice on a terminal (not echoed)."""
    password = os.environ.get("OBSERVATOIRE_ADMIN_PASSWORD")
    if password:
        return password
    if not interactive:
        raise MissingInput("Mot de passe manquant : pas de terminal pour le demander. Passez-le par la variable "
                           "d'environnement OBSERVATOIRE_ADMIN_PASSWORD.")
    password = getpass.getpass(f"Mot de passe ({MIN_PASSWORD_LENGTH} caractères au moins) : ")
    if getpass.getpass("Le même mot de passe, une seconde fois : ") != password:
        raise ValueError("Les deux mots de passe saisis diffèrent : rien n'a été enregistré.")
    return password


def main(argv: list[str] | None = None) -> int:
    """Create or replace the administrator's access; 0 on success, 1 on an invalid value, 2 on a missing one."""
    parser = argparse.ArgumentParser(description="Crée ou remplace l'accès administrateur (secrets.toml).")
    parser.add_argument("--username", default=None, help="identifiant (sinon OBSERVATOIRE_ADMIN_USER)")
    args = parser.parse_args(argv)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    path = secrets_path()
    try:
        username = ask_username(args.username, interactive)
        password = ask_password(interactive)
        write_secrets(make_entry(username, password), path)
    except MissingInput as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_MISSING_INPUT
    except ValueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"Erreur : impossible d'écrire {path} ({exc.strerror or exc}) : rien n'a été enregistré.",
              file=sys.stderr)
        return EXIT_INVALID
    except (KeyboardInterrupt, EOFError):
        print("\nAbandon : rien n'a été enregistré.", file=sys.stderr)
        return EXIT_INVALID
    print(f"Accès administrateur « {normalise(username).strip()} » enregistré dans {path} "
          "(empreinte salée du mot de passe, lisible par vous seul).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
