"""Concurrent sessions against a real server, over Streamlit's own websocket protocol.

Each simulated session opens /_stcore/stream and asks for page after page, every section of the pages in
sections (?onglet=…), with a territory in the query string, as a browser would, and checks every run ends without an
exception element. `make load` runs 20 sessions for 60 s through HAProxy in front of two
replicas (deploy/serve.py) and fails on any error.
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

from bench.pages import interleaved

TERRITORIES = ["", "territoire=fed-midi-pyrenees", "territoire=dep-31", "territoire=reg-bretagne",
               "territoire=dep-974", "territoire=inconnu%27%3B--"]
PAGE_PATHS = interleaved()  # every view: a page's URL path, with ?onglet=… for the sections after the first
_FAILED = (ForwardMsg.FINISHED_WITH_COMPILE_ERROR,)


async def run_page(ws, page_name: str, query: str, timeout: float = 60, texts: list[str] | None = None) -> dict:
    """Ask for one page run; return its time, bytes received, exception count and the messages' deltas.

    page_name may carry a query of its own (« mon_territoire?onglet=Comparaison »), joined to `query`; texts, when
    given, receives the markdown the run drew (what a test reads to know which section was served)."""
    page_name, _, own = page_name.partition("?")
    query = "&".join(part for part in (query, own) if part)
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page_name
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    received, exceptions, messages = 0, 0, []
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        received += len(raw)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element" \
                and forward.delta.new_element.WhichOneof("type") == "exception":
            exceptions += 1
            error = forward.delta.new_element.exception
            messages.append(f"{error.type} {error.message}".strip())
        elif texts is not None and kind == "delta" and forward.delta.WhichOneof("type") == "new_element" \
                and forward.delta.new_element.WhichOneof("type") == "markdown":
            texts.append(forward.delta.new_element.markdown.body)
        if kind == "script_finished":
            return {"seconds": time.perf_counter() - started, "bytes": received,
                    "exceptions": exceptions + (forward.script_finished in _FAILED),
                    "status": forward.script_finished, "messages": messages}


def stream_url(url: str) -> str:
    return url.replace("http", "ws", 1) + "/_stcore/stream"


def visits(number: int, pages: list[str], queries: list[str]) -> list[tuple[str, str]]:
    """The (page, query string) pairs session `number` cycles through: every page, territories shifted."""
    shift = number % len(queries)
    return [(pages[k % len(pages)], queries[(k + shift) % len(queries)]) for k in range(len(pages) * len(queries))]


def every_visit(pages: list[str] | None = None, queries: list[str] | None = None) -> list[tuple[str, str]]:
    """Every page with every territory once: a warm-up that fills a server's caches."""
    return list(itertools.product(pages or PAGE_PATHS, queries or TERRITORIES))


async def session(url: str, until: float, number: int, results: list, errors: list,
                  plan: list[tuple[str, str]], delay: float = 0, max_runs: int | None = None) -> None:
    """One simulated browser: waits `delay` seconds, connects, then runs the plan's pages until `until`."""
    await asyncio.sleep(delay)
    plan_cycle = itertools.cycle(plan)
    served = 0
    try:
        async with websockets.connect(stream_url(url), subprotocols=["streamlit"], max_size=None,
                                      open_timeout=30) as ws:
            while (served == 0 or time.time() < until) and (max_runs is None or served < max_runs):
                page, query = next(plan_cycle)
                result = await run_page(ws, page, query)
                result["first"] = served == 0
                results.append(result)
                served += 1
                if result["exceptions"]:
                    errors.append(f"session {number} : exception sur « {page or 'accueil'} » ({query}) : "
                                  + " ; ".join(result["messages"])[:300])
    except Exception as exc:  # noqa: BLE001 - every failure of a session is a load-test error
        errors.append(f"session {number} : {exc.__class__.__name__} {exc}")


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share 0.95 for p95) of values, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * share + 0.5)) - 1)]


def summarise(results: list[dict], errors: list[str], sessions: int, elapsed: float) -> dict:
    """Throughput, median and p95 of page runs, time to the first page of each arriving session."""
    times = [r["seconds"] for r in results]
    first = [r["seconds"] for r in results if r.get("first")]
    return {
        "sessions": sessions, "seconds": round(elapsed, 1), "page_runs": len(results), "errors": errors,
        "sessions_served": len(first), "runs_per_second": len(results) / elapsed if elapsed else 0.0,
        "median_run_s": statistics.median(times) if times else None, "p95_run_s": percentile(times, 0.95),
        "p95_first_page_s": percentile(first, 0.95), "bytes": sum(r["bytes"] for r in results),
    }


async def _load(url: str, plans: list[list[tuple[str, str]]], seconds: float, ramp: float,
                max_runs: int | None):
    results: list = []
    errors: list = []
    started = time.time()
    until = started + seconds
    await asyncio.gather(*(session(url, until, i, results, errors, plan, ramp * i / len(plans), max_runs)
                           for i, plan in enumerate(plans)))
    return results, errors, time.time() - started


def load(url: str, sessions: int, seconds: float, ramp: float = 0, pages: list[str] | None = None,
         queries: list[str] | None = None, plan: list[tuple[str, str]] | None = None,
         max_runs: int | None = None) -> dict:
    """`sessions` browsers arriving evenly over `ramp` seconds and running pages until `seconds` have passed.

    Every session runs at least one page, however late it arrives (at most `max_runs`); `plan` replaces
    the pages x territories cycle of every session. The summary counts runs and errors.
    """
    pages, queries = pages or PAGE_PATHS, queries or TERRITORIES
    plans = [plan or visits(i, pages, queries) for i in range(sessions)]
    results, errors, elapsed = asyncio.run(_load(url, plans, seconds, ramp, max_runs))
    return summarise(results, errors, sessions, elapsed)


def warm(url: str) -> dict:
    """One session running every page with every territory once (fills the server's caches)."""
    plan = every_visit()
    return load(url, 1, 600, plan=plan, max_runs=len(plan))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Test de charge : sessions simultanées sur un vrai serveur.")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--replicas", type=int, default=2, help="réplicas derrière HAProxy (0 : un serveur seul)")
    parser.add_argument("--url", default=None, help="un serveur déjà lancé (sinon il est démarré ici)")
    args = parser.parse_args(argv)
    from bench.server import Server
    from deploy.serve import Cluster

    if args.url:
        summary = load(args.url, args.sessions, args.seconds)
    else:
        with Cluster(args.replicas) if args.replicas else Server() as server:
            summary = load(server.url, args.sessions, args.seconds)
            summary["server_memory_kb"] = server.memory_kb()
            summary["replicas"] = args.replicas or 1
            summary["through_proxy"] = bool(args.replicas)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    ok = not summary["errors"] and summary["page_runs"] > 0
    print(f"{summary['page_runs']} passed, {len(summary['errors'])} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
