"""Where the real server's time goes under load: py-spy records the `streamlit run` process while
20 sessions browse every page, then the top entries are printed (`make profile`).

Only samples holding the GIL are kept (`--gil`): one Streamlit process runs Python on one core at a
time, so that is the time that limits its throughput (threads waiting in sleep or select are left out).

Extra arguments are Streamlit options for the server, e.g. `--runner.postScriptGC true` to see
the profile with Streamlit's default post-run garbage collection.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.load import load, warm
from bench.server import Server
from observatoire.paths import ROOT

OUT = ROOT / "bench" / "profile.txt"
PY_SPY = Path(sys.executable).parent / "py-spy"
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
OURS = ("observatoire/", "pages/", "app.py")


def parse(raw: str) -> tuple[collections.Counter, collections.Counter, collections.Counter, int]:
    """Samples per frame at the top of the stack (self), per function anywhere in the stack (inclusive),
    per line of our own code anywhere in the stack, and the total, from py-spy's collapsed-stack format."""
    own, inclusive, ours = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_short(f) for f in stack.split(";") if not f.startswith("thread (")]
        if not frames:
            continue
        own[frames[-1]] += n
        for name in set(frames):
            inclusive[name] += n
        for name in {f for f in frames if _is_ours(f)}:
            ours[name] += n
    return own, inclusive, ours, total


def _short(frame: str) -> str:
    """`function (file:line)` with the file relative to the project or to site-packages."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['function']} ({path}:{match['line']})" if match["line"] else f"{match['function']} ({path})"


def _is_ours(frame: str) -> bool:
    match = _FRAME.match(frame)
    return bool(match) and match["file"].startswith(OURS)


def library(frame: str) -> str:
    """Who owns a frame: our code, a library (first folder under site-packages) or Python itself."""
    if _is_ours(frame):
        return "notre code (observatoire, pages)"
    match = _FRAME.match(frame)
    first = (match["file"] if match else "<>").split("/", 1)[0]
    if first.startswith("<") or first.removesuffix(".py") in sys.stdlib_module_names:
        return "Python (bibliothèque standard)"
    return first


def top(raw: str, n: int = 15) -> str:
    """The report printed by `make profile`: self time by library and by frame, our code inclusive, in %."""
    own, _, ours, total = parse(raw)
    if not total:
        return "Aucun échantillon : le serveur n'a rien calculé pendant l'enregistrement."
    libraries = collections.Counter()
    for name, count in own.items():
        libraries[library(name)] += count
    lines = [f"{total} échantillons (processus serveur, GIL tenu).", "", "Temps propre par bibliothèque :"]
    lines += [f"  {100 * c / total:5.1f} %  {name}" for name, c in libraries.most_common(8)]
    lines += ["", "Temps propre (haut de pile) :"]
    lines += [f"  {100 * c / total:5.1f} %  {name}" for name, c in own.most_common(n)]
    lines += ["", "Notre code (temps inclusif : la ligne est dans la pile) :"]
    lines += [f"  {100 * c / total:5.1f} %  {name}" for name, c in ours.most_common(n)]
    return "\n".join(lines)


def record(seconds: float, sessions: int, streamlit_args: list[str], out: Path = OUT) -> dict:
    """Warm a server, load it with `sessions` sessions and record it with py-spy for `seconds`."""
    with Server(args=streamlit_args) as server:
        warm(server.url)
        summary: dict = {}
        loader = threading.Thread(target=lambda: summary.update(load(server.url, sessions, seconds + 4)))
        loader.start()
        time.sleep(2)
        subprocess.run([str(PY_SPY), "record", "-p", str(server.proc.pid), "-d", str(int(seconds)), "-f", "raw",
                        "-o", str(out), "--gil", "--full-filenames"], check=True, stdout=subprocess.DEVNULL)
        loader.join()
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profil du serveur sous charge (py-spy).")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--out", type=Path, default=OUT)
    args, streamlit_args = parser.parse_known_args(argv)
    summary = record(args.seconds, args.sessions, streamlit_args, args.out)
    print(f"Charge pendant l'enregistrement : {summary['page_runs']} pages, "
          f"{summary['runs_per_second']:.1f} pages/s, {len(summary['errors'])} erreur(s).")
    print(top(args.out.read_text(encoding="utf-8")))
    print(f"\nPiles complètes : {args.out} (format « collapsed » : speedscope.app ou flamegraph.pl le lisent).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
