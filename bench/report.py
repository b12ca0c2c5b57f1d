"""Collect every measurement, print one table and write bench/results.json."""

from __future__ import annotations

import platform
import time

from bench import browser_times, load, scale, server_times
from bench.server import Server
from observatoire import fmt
from observatoire.paths import ROOT

RESULTS = ROOT / "bench" / "results.json"
TARGETS = {
    "server_ratio_to_one_chart_max": 3.0,
    "browser_seconds_max": 2.5,
    "x100_ratio_max": 1.5,
    "deck_seconds_max": 10.0,
}


def memory() -> dict:
    with Server() as server:
        one = load.memory(server, 1, 10)
        twenty = load.memory(server, 20, 20)
    return {"1_session_kb": one["VmHWM"], "20_sessions_kb": twenty["VmHWM"], "errors": one["errors"] + twenty["errors"]}


def collect(deck, runs_server: int = 20, runs_browser: int = 5) -> dict:
    """Every measurement; `deck` is the deck-export measurement of bench.run."""
    started = time.perf_counter()
    results = {"machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
               "targets": TARGETS}
    results["server"] = server_times.measure(runs_server)
    results["x100"] = scale.measure(runs_server)
    results["browser"] = browser_times.measure(runs_browser)
    results["memory"] = memory()
    results["deck"] = deck()
    results["total_seconds"] = time.perf_counter() - started
    return results


def _ms(seconds: float) -> str:
    return f"{fmt.number(seconds * 1000, 0)} ms"


def _x(value: float, decimals: int = 1) -> str:
    return fmt.number(value, decimals)


def table(results: dict) -> str:
    s, x, b = results["server"], results["x100"], results["browser"]
    one_chart = s["floor_one_chart_s"]
    lines = [
        "| page | serveur (relance) | × graphique seul | éléments | même nombre de textes | × textes "
        "| ×100 données | ×100 / ×1 | navigateur | octets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| page vide (plancher) | {_ms(s['floor_empty_s'])} | {_x(s['floor_empty_s'] / one_chart)} | 1 | | | | | "
        f"{_x(b['floor_empty_s'], 2)} s | {fmt.number(b['floor_empty_bytes'])} |",
        f"| un graphique (plancher) | {_ms(one_chart)} | 1,0 | 2 | | | | | | |",
    ]
    for name, t in s["pages_s"].items():
        t100 = x["pages_s"][name]
        same = s["floor_same_size_s"][name]
        lines.append(
            f"| {name} | {_ms(t)} | {_x(t / one_chart)} | {s['elements'][name]} | {_ms(same)} | {_x(t / same)} | "
            f"{_ms(t100)} | {_x(t100 / t, 2)} | {_x(b['pages_s'][name], 2)} s | {fmt.number(b['pages_bytes'][name])} |"
        )
    m = results["memory"]
    lines.append("")
    lines.append(f"Mémoire du serveur (pic) : {m['1_session_kb'] / 1024:.0f} Mo avec 1 session, "
                 f"{m['20_sessions_kb'] / 1024:.0f} Mo avec 20 sessions.")
    d = results["deck"]
    lines.append(f"Présentation complète ({d['slides']} diapositives, PowerPoint et PDF) : {_x(d['pptx_and_pdf'])} s "
                 f"(médiane de {d['repeats']}), {_x(d['first_pptx_and_pdf'])} s la première fois (démarrage de "
                 "Chromium compris).")
    lines.append(f"Registre ×100 : {fmt.number(x['register']['members'])} adhérents sur {x['register']['years']} ans. "
                 f"Mesures : médiane de {s['runs']} relances (serveur), de {b['runs']} chargements (navigateur) ; "
                 f"durée totale {results['total_seconds']:.0f} s.")
    return "\n".join(lines)


def targets(results: dict) -> list[str]:
    """One line per target of the README: met or not, with the figure."""
    s, x, b, d = results["server"], results["x100"], results["browser"], results["deck"]
    worst_ratio = max(s["ratio_to_one_chart"].values())
    worst_browser = max(b["pages_s"].values())
    worst_x100 = max(x["pages_s"][n] / t for n, t in s["pages_s"].items())
    rows = [
        ("serveur ≤ 3 × la page à un graphique", worst_ratio <= TARGETS["server_ratio_to_one_chart_max"],
         f"pire page {_x(worst_ratio)} ×, meilleure {_x(min(s['ratio_to_one_chart'].values()))} ×"),
        ("navigateur ≤ 2,5 s par page", worst_browser <= TARGETS["browser_seconds_max"],
         f"pire page {_x(worst_browser, 2)} s"),
        ("×100 données ≤ 1,5 × le temps ×1", worst_x100 <= TARGETS["x100_ratio_max"],
         f"pire page {_x(worst_x100, 2)} ×"),
        ("présentation complète < 10 s", d["pptx_and_pdf"] < TARGETS["deck_seconds_max"], f"{_x(d['pptx_and_pdf'])} s"),
        ("20 sessions sans erreur", not results["memory"]["errors"], f"{len(results['memory']['errors'])} erreur(s)"),
    ]
    return [f"- {name} : {'atteint' if ok else 'NON ATTEINT'} ({figure})" for name, ok, figure in rows]
