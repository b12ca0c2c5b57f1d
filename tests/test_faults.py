"""Faults: imports, rollbacks and rebuilds killed (SIGKILL) at random moments, and a rebuild racing an import.

After every kill the served database opens, its record of imports in force is what the journal
and versions.active_imports() say and what its rows show, no acknowledged import is lost, and the
next start leaves no temporary file. The figures are printed and written to tests/artifacts/faults.json.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from observatoire import build, validate, versions
from observatoire.paths import ROOT

KILLS = {"import": 14, "rollback": 8, "rebuild": 8}
# A worker validates first (nothing written), then says BEGIN and runs the operation the test kills.
WORKER = """
import sys
from pathlib import Path
from observatoire import validate, versions
target = Path(sys.argv[1])
print("READY", flush=True)
for line in sys.stdin:
    op, arg = line.split()
    if op == "import":
        data = (f"project_id,name,carrier,commune_insee,axis_id,summary\\n"
                f"{arg},Projet {arg},Asso,31555,2,Projet {arg}\\n").encode()
        validation = validate.validate("projects", f"{arg}.csv", data, None, target=target)
        print("BEGIN", flush=True)
        print("ACK", versions.apply(validation, "faults", target=target)["version"], flush=True)
    elif op == "rollback":
        print("BEGIN", flush=True)
        versions.rollback(arg, "faults", target=target)
        print("ACK", arg, flush=True)
    else:
        print("BEGIN", flush=True)
        versions.rebuild(target)
        print("ACK -", flush=True)
"""


class Worker:
    """A warm Python process that runs operations on the served database until it is killed."""

    def __init__(self, target: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, str(target)], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=os.environ.copy())
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("EOF")

    def expect(self, word: str, timeout: float = 120) -> str:
        line = self.lines.get(timeout=timeout)
        assert line.startswith(word), f"expected {word}, got {line!r}"
        return line

    def send(self, op: str, arg: str) -> None:
        self.proc.stdin.write(f"{op} {arg}\n")
        self.proc.stdin.flush()

    def run(self, op: str, arg: str) -> tuple[str, float]:
        """Run one operation to its end; return its acknowledgement and its duration."""
        self.send(op, arg)
        self.expect("BEGIN")
        started = time.perf_counter()
        ack = self.expect("ACK")
        return ack.split()[1], time.perf_counter() - started

    def kill(self) -> str | None:
        """SIGKILL now; the acknowledgement if the operation had ended before."""
        self.proc.kill()
        self.proc.wait(timeout=30)
        lines = []
        while (line := self.lines.get(timeout=30)) != "EOF":
            lines.append(line)
        acks = [line.split()[1] for line in lines if line.startswith("ACK")]
        return acks[0] if acks else None


def in_base(served: Path) -> list[dict]:
    """The record of imports, read from the served file opened read-only (it must open)."""
    con = duckdb.connect(str(served), read_only=True)
    try:
        cur = con.execute("select version, file_name, source_file from imports order by seq")
        record = [dict(zip(("version", "file_name", "source_file"), row)) for row in cur.fetchall()]
        shown = {s for (s,) in con.execute(
            "select source_file from innovation_projects where project_id like 'k%'").fetchall()}
    finally:
        con.close()
    assert shown == {r["source_file"] for r in record}, "the rows do not match the record of imports"
    return record


def check_after_start(served: Path) -> list[str]:
    """The next start: no temporary file left; journal, active_imports() and the database agree."""
    versions.start(served, blocking=True)
    strays = [p.name for p in served.parent.iterdir() if p.name.startswith(build.TEMP_PREFIXES)]
    strays += [p.name for p in (versions.versions_dir() / "imports").glob("*.part")]
    assert strays == []
    record = [r["version"] for r in in_base(served)]
    entries, problems = versions._read_journal()
    assert problems == []
    assert versions.journal_in_force(entries) == record
    assert [r["version"] for r in versions.active_imports(served)] == record
    return record


@pytest.fixture
def served(built_db, tmp_path, monkeypatch) -> Path:
    target = tmp_path / "db" / "served.duckdb"
    target.parent.mkdir()
    shutil.copyfile(built_db, target)
    monkeypatch.setenv("OBSERVATOIRE_VERSIONS", str(tmp_path / "versions"))
    return target


def test_random_kills_of_imports_rollbacks_and_rebuilds_lose_nothing(served, capsys, artifacts):
    seed = int(os.environ.get("FAULT_SEED", time.time()))
    rng = random.Random(seed)
    plan = [op for op, n in KILLS.items() for _ in range(n)]
    rng.shuffle(plan)
    started = time.perf_counter()
    worker, spare = Worker(served), Worker(served)
    worker.expect("READY")
    # warm-up, acknowledged: how long each operation takes here
    duration: dict[str, float] = {}
    first, duration["import"] = worker.run("import", "k0")
    _, duration["rebuild"] = worker.run("rebuild", "-")
    _, duration["rollback"] = worker.run("rollback", first)
    state = check_after_start(served)
    assert state == []
    landed, late, acknowledged = Counter(), Counter(), Counter({"import": 1, "rollback": 1, "rebuild": 1})
    for number, op in enumerate(plan, start=1):
        if op == "rollback" and not state:
            state.append(worker.run("import", f"k{number}a")[0])
            acknowledged["import"] += 1
        arg = {"import": f"k{number}", "rollback": rng.choice(state or ["-"]), "rebuild": "-"}[op]
        worker.send(op, arg)
        worker.expect("BEGIN")
        time.sleep(rng.uniform(0, 0.95 * duration[op]))
        ack = worker.kill()
        worker, spare = spare, Worker(served)
        worker.expect("READY")
        record = check_after_start(served)
        if op == "import":
            new = [v for v in record if v not in state]
            assert record[: len(state)] == state and len(new) <= 1, (state, record)
            assert ack is None or new == [ack], "an acknowledged import was lost"
            if new:
                assert in_base(served)[-1]["file_name"] == f"{arg}.csv"
        elif op == "rollback":
            assert record in (state, state[: state.index(arg)])
            assert ack is None or record == state[: state.index(arg)]
        else:
            assert record == state, "a rebuild changed the imports in force"
        (late if ack else landed)[op] += 1
        acknowledged[op] += bool(ack)
        state = record
    worker.kill()
    spare.kill()
    figures = {"seed": seed, "kills": len(plan), "killed_mid_operation": dict(landed),
               "killed_after_acknowledgement": dict(late), "acknowledged": dict(acknowledged),
               "imports_in_force_at_end": len(state), "seconds_per_operation": {k: round(v, 2) for k, v in
                                                                               duration.items()},
               "total_seconds": round(time.perf_counter() - started, 1)}
    (artifacts / "faults.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    with capsys.disabled():
        print(f"\nfaults: {json.dumps(figures, ensure_ascii=False)}")
    assert len(plan) >= 30 and sum(landed.values()) >= 20


def test_a_rebuild_racing_an_import_loses_nothing(served):
    for attempt in range(3):
        data = (f"project_id,name,carrier,commune_insee,axis_id,summary\n"
                f"k-race{attempt},Projet,Asso,31555,2,Projet {attempt}\n").encode()
        validation = validate.validate("projects", f"race{attempt}.csv", data, None, target=served)
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def run(name, action, barrier=barrier, results=results):
            barrier.wait()
            try:
                results[name] = action()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                results[name] = exc

        threads = [threading.Thread(target=run, args=("rebuild", lambda: versions.rebuild(served))),
                   threading.Thread(target=run, args=("import", lambda v=validation: versions.apply(v, "x", served)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(isinstance(r, Exception) for r in results.values()), results
        record = check_after_start(served)
        assert len(record) == attempt + 1 and results["import"]["version"] == record[-1]
