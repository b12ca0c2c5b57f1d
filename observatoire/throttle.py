"""Login throttle shared by every session and every server process on the machine.

Failed logins are counted per user name (casefolded NFC, so that unknown and mistyped names are
throttled too) in a SQLite file under runtime_dir(), every read-modify-write guarded by an fcntl
lock. An attempt is counted as failed *before* the password is checked and forgotten on success,
so that concurrent attempts from several replicas cannot slip past the limit.
No Streamlit here: tests drive it directly, with their own clock.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from observatoire.paths import runtime_dir

FREE_ATTEMPTS = 3  # failures allowed before the first wait
FIRST_DELAY = 30.0  # seconds; doubles at each further failure
MAX_DELAY = 15 * 60.0
FORGET_AFTER = 24 * 3600.0  # a name with no failure for this long starts afresh
DB_NAME = "login-throttle.sqlite3"
LOCK_NAME = "login-throttle.lock"

_SCHEMA = """create table if not exists failures (
    name_key text primary key,   -- sha256 of the normalised user name: no typed text kept on disk
    failures integer not null,
    last_failure real not null,
    locked_until real not null
)"""


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go on; when not, the time (epoch seconds) from which it may."""

    allowed: bool
    retry_at: float = 0.0
    wait: float = 0.0


def name_key(username: str) -> str:
    """One key per user name whatever its case, Unicode form or surrounding spaces."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", username).strip().casefold())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def delay_after(failures: int) -> float:
    """Wait imposed after `failures` failures in a row: none, then 30 s, 60 s, 120 s… up to 15 min."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(FIRST_DELAY * 2 ** min(failures - FREE_ATTEMPTS, 32), MAX_DELAY)


class Throttle:
    """The failure counts in `folder` (runtime_dir() by default); `clock` returns epoch seconds."""

    def __init__(self, folder: Path | None = None, clock: Callable[[], float] = time.time):
        self.folder = Path(folder) if folder is not None else runtime_dir()
        self.clock = clock

    @contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        """An exclusive fcntl lock held across processes, and a connection committed on exit."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            con = self._connect()
            try:
                with con:
                    yield con
            finally:
                con.close()
        finally:
            os.close(fd)  # closing releases the lock

    def _connect(self) -> sqlite3.Connection:
        """The counts database; a damaged file is replaced by an empty one rather than blocking every login."""
        path = self.folder / DB_NAME
        for _ in range(2):
            con = sqlite3.connect(path, timeout=30)
            try:
                con.execute(_SCHEMA)
                return con
            except sqlite3.DatabaseError:
                con.close()
                path.unlink(missing_ok=True)
        raise RuntimeError(f"Fichier de limitation des connexions inutilisable : {path}")

    def status(self, username: str) -> Verdict:
        """Whether a login with this name may be tried now (no change recorded)."""
        now = self.clock()
        with self._locked() as con:
            row = con.execute("select locked_until from failures where name_key = ?", [name_key(username)]).fetchone()
        if row and row[0] > now:
            return Verdict(False, row[0], row[0] - now)
        return Verdict(True)

    def begin(self, username: str) -> Verdict:
        """Refuse while the name is locked out; otherwise count this attempt as a failure until `succeeded`."""
        now, key = self.clock(), name_key(username)
        with self._locked() as con:
            row = con.execute("select failures, last_failure, locked_until from failures where name_key = ?",
                              [key]).fetchone()
            if row and row[2] > now:
                return Verdict(False, row[2], row[2] - now)
            failures = 1 if row is None or now - row[1] > FORGET_AFTER else row[0] + 1
            con.execute("insert or replace into failures values (?, ?, ?, ?)",
                        [key, failures, now, now + delay_after(failures)])
            con.execute("delete from failures where last_failure < ? and locked_until < ?",
                        [now - FORGET_AFTER, now])
        return Verdict(True)

    def succeeded(self, username: str) -> None:
        """A successful login wipes the name's failures."""
        with self._locked() as con:
            con.execute("delete from failures where name_key = ?", [name_key(username)])

    def failures(self, username: str) -> int:
        """Failures counted for this name (for tests and the server log)."""
        with self._locked() as con:
            row = con.execute("select failures from failures where name_key = ?", [name_key(username)]).fetchone()
        return row[0] if row else 0


def _local(epoch: float) -> datetime:
    """The time in France (the federation's time), or the server's when no time-zone data is installed."""
    try:
        return datetime.fromtimestamp(epoch, ZoneInfo("Europe/Paris"))
    except ZoneInfoNotFoundError:
        return datetime.fromtimestamp(epoch)


def retry_message(verdict: Verdict) -> str:
    """French message saying when a locked-out name may try again."""
    head = "Trop d'essais infructueux pour cet identifiant : réessayez"
    wait = math.ceil(verdict.wait)
    if wait < 60:
        return f"{head} dans {wait} s."
    minutes = math.ceil(wait / 60)
    at = _local(math.ceil(verdict.retry_at / 60) * 60)  # never announce a time before the lock ends
    return f"{head} dans {minutes} min (à {at.hour} h {at.minute:02d})."
