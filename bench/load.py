"""Concurrent sessions against a real server, over Streamlit's own websocket protocol.

Each simulated session opens /_stcore/stream and asks for page after page (with a
territory in the query string) as a browser would, and checks every run ends without an
exception element. `make load` runs 20 sessions for 60 s and fails on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.pages import PAGES
from bench.server import Server

TERRITORIES = ["", "territoire=fed-midi-pyrenees", "territoire=dep-31", "territoire=reg-bretagne",
               "territoire=dep-974", "territoire=inconnu%27%3B--"]


async def run_page(ws, page_name: str, query: str, timeout: float = 60) -> dict:
    """Ask for one page run; return its time, bytes received and exception count."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page_name
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    received, exceptions = 0, 0
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        received += len(raw)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element" \
                and forward.delta.new_element.WhichOneof("type") == "exception":
            exceptions += 1
        if kind == "script_finished":
            return {"seconds": time.perf_counter() - started, "bytes": received, "exceptions": exceptions,
                    "status": forward.script_finished}


async def session(url: str, until: float, number: int, results: list, errors: list) -> None:
    pages = itertools.cycle([path for _, path in PAGES.values()])
    queries = itertools.cycle(TERRITORIES[number % len(TERRITORIES):] + TERRITORIES[: number % len(TERRITORIES)])
    try:
        async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=30) as ws:
            while time.time() < until:
                page, query = next(pages), next(queries)
                result = await run_page(ws, page, query)
                results.append(result)
                if result["exceptions"]:
                    errors.append(f"session {number} : exception sur « {page or 'accueil'} » ({query})")
    except Exception as exc:  # noqa: BLE001 - every failure of a session is a load-test error
        errors.append(f"session {number} : {exc.__class__.__name__} {exc}")


async def _load(url: str, sessions: int, seconds: float) -> tuple[list, list]:
    results: list = []
    errors: list = []
    until = time.time() + seconds
    await asyncio.gather(*(session(url, until, i, results, errors) for i in range(sessions)))
    return results, errors


def load(url: str, sessions: int, seconds: float) -> dict:
    results, errors = asyncio.run(_load(url, sessions, seconds))
    times = sorted(r["seconds"] for r in results)
    return {
        "sessions": sessions, "seconds": seconds, "page_runs": len(results), "errors": errors,
        "median_run_s": statistics.median(times) if times else None,
        "p95_run_s": times[int(len(times) * 0.95) - 1] if times else None,
    }


def memory(server: Server, sessions: int, seconds: float = 10) -> dict:
    """Server peak memory after `sessions` concurrent sessions browsing for `seconds`."""
    summary = load(server.url, sessions, seconds)
    return {**server.memory_kb(), "errors": summary["errors"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Test de charge : sessions simultanées sur un vrai serveur.")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    with Server() as server:
        summary = load(server.url, args.sessions, args.seconds)
        summary["server_memory_kb"] = server.memory_kb()
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    ok = not summary["errors"] and summary["page_runs"] > 0
    print(f"{summary['page_runs']} passed, {len(summary['errors'])} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
