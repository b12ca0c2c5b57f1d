"""Collect every measurement, print one table and write bench/results.json."""

from __future__ import annotations

import platform
import time

from bench import browser_times, scale, server_load, server_times
from observatoire import fmt
from observatoire.paths import ROOT

RESULTS = ROOT / "bench" / "results.json"
TARGETS = {
    "throughput_share_of_floor_min": 1 / 3,
    "p95_20_sessions_s_max": 1.0,
    "p95_100_arriving_s_max": 5.0,
    "memory_growth_per_50_sessions_mb_max": 100,
    "two_replicas_ratio_min": 1.6,
    "browser_ratio_to_empty_max": 3.0,
    "x100_ratio_max": 1.5,
    "deck_seconds_max": 10.0,
}


def collect(deck, runs_server: int = 20, runs_browser: int = 5) -> dict:
    """Every measurement; `deck` is the deck-export measurement of bench.run."""
    started = time.perf_counter()
    results = {"machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
               "targets": TARGETS}
    results["load"] = server_load.measure()
    results["server"] = server_times.measure(runs_server)
    results["x100"] = scale.measure(runs_server)
    results["browser"] = browser_times.measure(runs_browser)
    results["deck"] = deck()
    results["total_seconds"] = time.perf_counter() - started
    return results


def _ms(seconds: float) -> str:
    return f"{fmt.number(seconds * 1000, 0)} ms"


def _x(value: float, decimals: int = 1) -> str:
    return fmt.number(value, decimals)


def table(results: dict) -> str:
    """Per view (a page, or one of its sections): AppTest rerun and its floors, the x100 register, the browser and
    its ratio to the empty page."""
    s, x, b = results["server"], results["x100"], results["browser"]
    one_chart, empty = s["floor_one_chart_s"], b["floor_empty_s"]
    lines = [
        "| page · onglet | serveur (relance) | × graphique seul | éléments | même nombre de textes | × textes "
        "| ×100 données | ×100 / ×1 | navigateur | × page vide | octets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| page vide (plancher) | {_ms(s['floor_empty_s'])} | {_x(s['floor_empty_s'] / one_chart)} | 1 | | | | | "
        f"{_x(empty, 2)} s | 1,0 | {fmt.number(b['floor_empty_bytes'])} |",
        f"| un graphique (plancher) | {_ms(one_chart)} | 1,0 | 2 | | | | | | | |",
    ]
    for name, t in s["pages_s"].items():
        t100 = x["pages_s"][name]
        same = s["floor_same_size_s"][name]
        lines.append(
            f"| {name} | {_ms(t)} | {_x(t / one_chart)} | {s['elements'][name]} | {_ms(same)} | {_x(t / same)} | "
            f"{_ms(t100)} | {_x(t100 / t, 2)} | {_x(b['pages_s'][name], 2)} s | {_x(b['pages_s'][name] / empty)} | "
            f"{fmt.number(b['pages_bytes'][name])} |"
        )
    d = results["deck"]
    lines.append("")
    lines.append(f"Présentation complète ({d['slides']} diapositives, PowerPoint et PDF) : {_x(d['pptx_and_pdf'])} s "
                 f"(médiane de {d['repeats']}), {_x(d['first_pptx_and_pdf'])} s la première fois (démarrage de "
                 "Chromium compris).")
    lines.append(f"Registre ×100 : {fmt.number(x['register']['members'])} adhérents sur {x['register']['years']} ans. "
                 f"Mesures : médiane de {s['runs']} relances (serveur, AppTest), de {b['runs']} chargements "
                 f"(navigateur) ; durée totale {results['total_seconds']:.0f} s.")
    return "\n".join(lines)


def _mb(kb: float) -> str:
    return f"{fmt.number(kb / 1024, 0)} Mo"


def cpu_ms_per_page(r: dict) -> float | None:
    """Server CPU time per page run: unlike throughput, hardly changed by other work on the machine."""
    cores = r.get("cores", {}).get("server")
    return cores * r["seconds"] * 1000 / r["page_runs"] if cores and r["page_runs"] else None


def _load_row(label: str, r: dict, memory: bool = True) -> str:
    rss = _mb(r["rss_kb"]) if memory and "rss_kb" in r else ""
    cpu = cpu_ms_per_page(r)
    return (f"| {label} | {r['sessions']} | {fmt.number(r['page_runs'])} | {_x(r['runs_per_second'])} | "
            f"{_x(r['median_run_s'], 2)} s | {_x(r['p95_run_s'], 2)} s | {_x(r['p95_first_page_s'], 2)} s | {rss} | "
            f"{_ms(cpu / 1000) if cpu else ''} | {len(r['errors'])} |")


def load_table(results: dict) -> str:
    """The real server under load: the session ladder, Streamlit's defaults, the floor page, the proxy."""
    ld = results["load"]
    p, short = ld["phases"], ld["short_seconds"]
    (_, _, s20, _), (_, _, s50, _), (_, _, s100, ramp) = ld["ladder_phases"]
    lines = [
        "| charge (vrai serveur, protocole websocket) | sessions | pages servies | pages/s | médiane | p95 "
        "| p95 1re page | mémoire (RSS) | CPU serveur / page | erreurs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        _load_row("1 session : chaque page × chaque territoire (échauffement)", p["1"]),
        _load_row(f"20 sessions, {s20} s", p["20"]),
        _load_row(f"50 sessions, {s50} s", p["50"]),
        _load_row(f"100 sessions arrivées en {ramp} s, {s100} s", p["100"]),
        _load_row(f"20 sessions, {short} s, réglages par défaut de Streamlit (GC après chaque exécution, "
                  "surveillance des fichiers)", ld["streamlit_defaults_20"]),
        _load_row(f"page d'un seul graphique (plancher), 20 sessions, {short} s", ld["floor_chart_20"]),
        _load_row(f"1 réplica (en direct), 20 sessions, {short} s", ld["one_replica_20"]),
        _load_row(f"2 réplicas derrière HAProxy, 20 sessions, {short} s", ld["two_replicas_proxy_20"]),
    ]
    r = load_ratios(results)
    flat = ld["memory_flat"]
    one, two = ld["one_replica_20"].get("cores", {}), ld["two_replicas_proxy_20"].get("cores", {})
    lines += [
        "",
        f"Réglages de production / réglages par défaut : {_x(r['production_vs_defaults'])} × le débit. "
        f"Un processus / page d'un graphique : {_x(r['share_of_floor'], 2)} du débit. "
        f"2 réplicas / 1 réplica : {_x(r['two_replicas'], 2)} ×.",
        f"Cœurs occupés (machine : {results['machine']['cpus']}) : 1 réplica {_x(one.get('server', 0), 2)}, "
        f"client de charge {_x(one.get('client', 0), 2)} ; 2 réplicas {_x(two.get('server', 0), 2)}, "
        f"client de charge {_x(two.get('client', 0), 2)}, HAProxy {_x(two.get('proxy', 0), 2)}.",
        *_cpu_line(ld),
        f"Mémoire (RSS, sessions fermées) : {_mb(flat['rss_kb'])} après {fmt.number(flat['after_runs'])} pages, "
        f"{_mb(flat['final_rss_kb'])} après {fmt.number(flat['final_runs'])} ; pic {_mb(ld['peak_rss_kb'])} ; "
        f"croissance au plus {fmt.number(r['memory_growth_per_50_mb'], 0)} Mo par 50 sessions.",
    ]
    return "\n".join(lines)


def _cpu_line(ld: dict) -> list[str]:
    """The one-process/floor ratio from CPU per page (valid on a busy machine, where throughput is not)."""
    ours, floor = cpu_ms_per_page(ld["phases"]["20"]), cpu_ms_per_page(ld["floor_chart_20"])
    if not ours or not floor:
        return []
    return [f"CPU serveur par page : {_ms(ours / 1000)} (20 sessions), {_ms(floor / 1000)} pour la page d'un "
            f"graphique : un processus calcule {_x(floor / ours, 2)} page de tableau de bord par page plancher."]


def load_ratios(results: dict) -> dict:
    ld = results["load"]
    p = ld["phases"]
    per_50 = max((p["50"]["rss_kb"] - p["1"]["rss_kb"]) * 50 / 49, p["100"]["rss_kb"] - p["50"]["rss_kb"]) / 1024
    return {
        "production_vs_defaults": p["20"]["runs_per_second"] / ld["streamlit_defaults_20"]["runs_per_second"],
        "share_of_floor": p["20"]["runs_per_second"] / ld["floor_chart_20"]["runs_per_second"],
        "two_replicas": ld["two_replicas_proxy_20"]["runs_per_second"] / ld["one_replica_20"]["runs_per_second"],
        "memory_growth_per_50_mb": per_50,
    }


def _load_errors(results: dict) -> int:
    return len(server_load.errors(results["load"]))


def targets(results: dict) -> list[str]:
    """One line per target of the README: met or not, with the figure."""
    x, b, d, ld = results["x100"], results["browser"], results["deck"], results["load"]
    r, p = load_ratios(results), ld["phases"]
    browser = {name: t / b["floor_empty_s"] for name, t in b["pages_s"].items()}
    worst_browser = max(browser, key=browser.get)
    worst_x100 = max(x["pages_s"][n] / t for n, t in results["server"]["pages_s"].items())
    rows = [
        ("débit d'un processus ≥ 1/3 de celui de la page d'un graphique",
         r["share_of_floor"] >= TARGETS["throughput_share_of_floor_min"],
         f"{_x(r['share_of_floor'], 2)} : {_x(p['20']['runs_per_second'])} contre "
         f"{_x(ld['floor_chart_20']['runs_per_second'])} pages/s"),
        ("20 sessions : p95 ≤ 1 s", p["20"]["p95_run_s"] <= TARGETS["p95_20_sessions_s_max"],
         f"p95 {_x(p['20']['p95_run_s'], 2)} s"),
        ("100 sessions arrivées en 10 s toutes servies, p95 ≤ 5 s",
         p["100"]["sessions_served"] == p["100"]["sessions"] and not p["100"]["errors"]
         and p["100"]["p95_run_s"] <= TARGETS["p95_100_arriving_s_max"],
         f"{p['100']['sessions_served']} servies sur {p['100']['sessions']}, p95 {_x(p['100']['p95_run_s'], 2)} s"),
        ("mémoire : moins de 100 Mo de plus par 50 sessions",
         r["memory_growth_per_50_mb"] < TARGETS["memory_growth_per_50_sessions_mb_max"],
         f"au plus {fmt.number(r['memory_growth_per_50_mb'], 0)} Mo"),
        ("2 réplicas derrière le proxy ≥ 1,6 × un réplica", r["two_replicas"] >= TARGETS["two_replicas_ratio_min"],
         f"{_x(r['two_replicas'], 2)} ×"),
        ("navigateur ≤ 3 × la page vide", browser[worst_browser] <= TARGETS["browser_ratio_to_empty_max"],
         f"pire page {worst_browser} {_x(browser[worst_browser])} ×, meilleure {_x(min(browser.values()))} ×"),
        ("×100 données ≤ 1,5 × le temps ×1", worst_x100 <= TARGETS["x100_ratio_max"],
         f"pire page {_x(worst_x100, 2)} ×"),
        ("présentation complète < 10 s", d["pptx_and_pdf"] < TARGETS["deck_seconds_max"], f"{_x(d['pptx_and_pdf'])} s"),
        ("aucune erreur sous charge", not _load_errors(results), f"{_load_errors(results)} erreur(s)"),
    ]
    return [f"- {name} : {'atteint' if ok else 'NON ATTEINT'} ({figure})" for name, ok, figure in rows]
