"""The real server under load (`make bench`, load section): throughput, p50 and p95 per page run,
memory at 1, 20, 50 and 100 sessions, Streamlit's defaults against our production settings, the
one-chart floor page, and one replica against two behind HAProxy, all in one run.

Sessions speak Streamlit's websocket protocol (bench/load.py): every page, several territories.
"""

from __future__ import annotations

import threading
import time

from bench.load import load, warm
from bench.server import Server
from deploy.serve import Cluster

# Streamlit's defaults for the two settings .streamlit/config.toml changes for production.
STREAMLIT_DEFAULTS = ["--runner.postScriptGC", "true", "--server.fileWatcherType", "auto"]
# Phases on one server after its warm-up (one session running every page with every territory:
# the "1 session" figures), in this order so that memory is read as sessions pile up:
# (name, sessions, seconds, arrival ramp in seconds)
LADDER = [("20", 20, 25, 0), ("50", 50, 15, 0), ("100", 100, 30, 10)]
SHORT = 15  # seconds of each comparison load (defaults, floor, proxy)
COMPARISONS = ("streamlit_defaults_20", "floor_chart_20", "one_replica_20", "two_replicas_proxy_20")


class MemorySampler:
    """Samples the server's resident memory every `every` seconds in a thread, with the runs served so far."""

    def __init__(self, server, every: float = 1.0):
        self.server, self.every = server, every
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = time.perf_counter()
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - started, self.server.memory_kb()["VmRSS"]))
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_since(self, t0: float) -> int:
        return max((kb for t, kb in self.samples if t >= t0), default=0)

    def now(self) -> float:
        return self.samples[-1][0] if self.samples else 0.0


def ladder(server) -> dict:
    """The LADDER phases on one server: each phase's figures and the peak RSS while it ran."""
    phases = {}
    total_runs = 0
    with MemorySampler(server) as sampler:
        phases["1"] = warm(server.url)
        phases["1"]["rss_kb"] = max(sampler.peak_since(0), server.memory_kb()["VmRSS"])
        phases["1"]["rss_end_kb"] = server.memory_kb()["VmRSS"]
        total_runs = phases["1"]["runs_before_end"] = phases["1"]["page_runs"]
        for name, sessions, seconds, ramp in LADDER:
            t0 = sampler.now()
            summary = with_cpu(server, lambda s=sessions, d=seconds, r=ramp: load(server.url, s, d, ramp=r))
            summary["rss_kb"] = max(sampler.peak_since(t0), server.memory_kb()["VmRSS"])
            summary["rss_end_kb"] = server.memory_kb()["VmRSS"]  # the phase's sessions have closed
            total_runs += summary["page_runs"]
            summary["runs_before_end"] = total_runs
            phases[name] = summary
    return {"phases": phases, "total_runs": total_runs}


def flat_memory(phases: dict) -> dict:
    """RSS once the sessions have closed, after the 20-session phase and after the last one, with the
    runs served by then: flat memory means the second is no higher than the first plus noise."""
    first, last = phases["20"], phases[LADDER[-1][0]]
    return {"after_runs": first["runs_before_end"], "rss_kb": first["rss_end_kb"],
            "final_runs": last["runs_before_end"], "final_rss_kb": last["rss_end_kb"]}


def with_cpu(target, run) -> dict:
    """run()'s summary with the cores used meanwhile by the server(s), this load client and the proxy."""
    proxy = getattr(target, "proxy_cpu_seconds", None)
    before = (target.cpu_seconds(), time.process_time(), proxy() if proxy else 0.0)
    summary = run()
    after = (target.cpu_seconds(), time.process_time(), proxy() if proxy else 0.0)
    elapsed = summary["seconds"] or 1.0
    summary["cores"] = {name: round((a - b) / elapsed, 2)
                        for name, a, b in zip(("server", "client", "proxy"), after, before)}
    return summary


def short(target, url: str | None = None, sessions: int = 20, **kwargs) -> dict:
    """A SHORT load of `sessions` sessions on target (a Server or a Cluster), with the cores each side used."""
    return with_cpu(target, lambda: load(url or target.url, sessions, SHORT, **kwargs))


def warm_all(urls: list[str]) -> None:
    """Warm several servers at once (one thread each), raising on any error."""
    found: list[str] = []
    threads = [threading.Thread(target=lambda u=u: found.extend(warm(u)["errors"])) for u in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if found:
        raise RuntimeError("échauffement en erreur : " + " ; ".join(found[:3]))


def measure() -> dict:
    """Every load figure of the bench, measured back to back on this machine, each server warmed first."""
    out: dict = {"ladder_phases": [list(p) for p in LADDER], "short_seconds": SHORT}
    with Server() as server:
        out.update(ladder(server))
        out["peak_rss_kb"] = server.memory_kb()["VmHWM"]
    out["memory_flat"] = flat_memory(out["phases"])
    with Server(args=STREAMLIT_DEFAULTS) as server:
        warm_all([server.url])
        out["streamlit_defaults_20"] = short(server)
    with Server("bench/floor_chart.py") as floor:
        load(floor.url, 1, 0, plan=[("", "")], max_runs=5)
        out["floor_chart_20"] = short(floor, plan=[("", "")])
    with Cluster(2) as cluster:
        warm_all([r.url for r in cluster.replicas])
        out["one_replica_20"] = short(cluster.replicas[0])  # direct: no proxy cost on this side
        out["two_replicas_proxy_20"] = short(cluster)
    return out


def errors(out: dict) -> list[str]:
    """Every load error of the section, with the phase it happened in."""
    found = [f"{name} sessions : {e}" for name, p in out["phases"].items() for e in p["errors"]]
    for key in COMPARISONS:
        found += [f"{key} : {e}" for e in out[key]["errors"]]
    return found
