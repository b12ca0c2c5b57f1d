"""The benchmark's table and target lines (bench/report.py) say what the figures say."""

from __future__ import annotations

from bench import report
from bench.pages import PAGES


def _results(page_s: float, x100_s: float, browser_s: float) -> dict:
    names = list(PAGES)
    return {
        "machine": {"cpus": 2},
        "server": {
            "runs": 20, "floor_empty_s": 0.003, "floor_one_chart_s": 0.004,
            "pages_s": dict.fromkeys(names, page_s),
            "ratio_to_one_chart": dict.fromkeys(names, page_s / 0.004),
            "elements": dict.fromkeys(names, 60),
            "floor_same_size_s": dict.fromkeys(names, 0.008),
            "ratio_to_same_size": dict.fromkeys(names, page_s / 0.008),
        },
        "x100": {"register": {"members": 52300, "years": 10}, "pages_s": dict.fromkeys(names, x100_s)},
        "browser": {"runs": 5, "pages_s": dict.fromkeys(names, browser_s),
                    "pages_bytes": dict.fromkeys(names, 123456), "floor_empty_s": 0.45, "floor_empty_bytes": 1985},
        "load": _load(runs_per_second=30.0, p95=0.8, rss_step_mb=40),
        "deck": {"slides": 15, "pptx_and_pdf": 2.2, "first_pptx_and_pdf": 4.4, "repeats": 3},
        "total_seconds": 250.0,
    }


def _run(sessions: int, runs_per_second: float, p95: float, rss_mb: float | None = None, errors=()) -> dict:
    run = {"sessions": sessions, "page_runs": int(runs_per_second * 20), "runs_per_second": runs_per_second,
           "seconds": 20.0,
           "median_run_s": p95 / 2, "p95_run_s": p95, "p95_first_page_s": p95, "sessions_served": sessions,
           "errors": list(errors)}
    return run | ({"rss_kb": rss_mb * 1024, "rss_end_kb": rss_mb * 1024} if rss_mb else {})


def _load(runs_per_second: float, p95: float, rss_step_mb: float, two_replicas: float = 50.0,
          errors=()) -> dict:
    return {
        "ladder_phases": [["20", 20, 30, 0], ["50", 50, 15, 0], ["100", 100, 40, 10]], "short_seconds": 20,
        "phases": {"1": _run(1, 10.0, 0.1, 300) | {"runs_before_end": 48},
                   "20": _run(20, runs_per_second, p95, 300 + rss_step_mb / 2) | {
                       "runs_before_end": 948, "cores": {"server": 0.9, "client": 0.1, "proxy": 0}},
                   "50": _run(50, runs_per_second, p95 * 2, 300 + rss_step_mb),
                   "100": _run(100, runs_per_second, p95 * 3, 300 + 2 * rss_step_mb, errors) | {
                       "runs_before_end": 2748}},
        "memory_flat": {"after_runs": 948, "rss_kb": 320 * 1024, "final_runs": 2748, "final_rss_kb": 330 * 1024},
        "peak_rss_kb": 400 * 1024, "total_runs": 2748,
        "streamlit_defaults_20": _run(20, 5.0, 8.0),
        "floor_chart_20": _run(20, 80.0, 0.3) | {"cores": {"server": 0.95}},
        "one_replica_20": _run(20, runs_per_second, 0.8) | {"cores": {"server": 1.02, "client": 0.3, "proxy": 0}},
        "two_replicas_proxy_20": _run(20, two_replicas, 0.5) | {"cores": {"server": 1.5, "client": 0.4,
                                                                          "proxy": 0.1}},
    }


def test_the_table_has_a_row_per_page_in_french_numbers():
    text = report.table(_results(0.010, 0.012, 1.2))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 2 + len(PAGES)  # header, two floors, the pages
    overview = next(r for r in rows if r.startswith("| Vue d'ensemble |"))
    cells = [c.strip() for c in overview.strip("|").split("|")]
    assert cells[1:6] == ["10 ms", "2,5", "60", "8 ms", "1,2"]
    assert cells[7] == "1,20" and cells[8] == "1,20 s" and cells[9] == "2,7" and cells[10] == "123\u202f456"
    assert "52\u202f300 adhérents" in text


def test_the_load_table_has_each_phase_and_the_ratios():
    text = report.load_table(_results(0.010, 0.012, 1.2))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 8  # header, the 1/20/50/100 ladder, defaults, floor, one replica, two replicas
    arriving = next(r for r in rows if r.startswith("| 100 sessions arrivées en 10 s, 40 s |"))
    cells = [c.strip() for c in arriving.strip("|").split("|")]
    assert cells[1:] == ["100", "600", "30,0", "1,20 s", "2,40 s", "2,40 s", "380 Mo", "", "0"]
    twenty = next(r for r in rows if r.startswith("| 20 sessions, 30 s |"))
    assert [c.strip() for c in twenty.strip("|").split("|")][8] == "30 ms"
    assert "Réglages de production / réglages par défaut : 6,0 × le débit." in text
    assert "Un processus / page d'un graphique : 0,38 du débit. 2 réplicas / 1 réplica : 1,67 ×." in text
    assert "320 Mo après 948 pages, 330 Mo après 2\u202f748" in text
    assert ("Cœurs occupés (machine : 2) : 1 réplica 1,02, client de charge 0,30 ; 2 réplicas 1,50, "
            "client de charge 0,40, HAProxy 0,10.") in text
    assert ("CPU serveur par page : 30 ms (20 sessions), 12 ms pour la page d'un graphique : un processus calcule "
            "0,40 page de tableau de bord par page plancher.") in text


def test_targets_say_met_or_not_met_with_the_worst_figure():
    met = report.targets(_results(0.010, 0.012, 1.2))
    assert all("NON ATTEINT" not in line for line in met), met
    missed_results = _results(0.040, 0.070, 1.5)
    missed_results["load"] = _load(runs_per_second=20.0, p95=1.8, rss_step_mb=120, two_replicas=28.0,
                                   errors=["session 3 : exception sur « adherents »"])
    missed = report.targets(missed_results)
    assert missed[0] == "- débit d'un processus ≥ 1/3 de celui de la page d'un graphique : NON ATTEINT " \
                        "(0,25 : 20,0 contre 80,0 pages/s)"
    assert missed[1] == "- 20 sessions : p95 ≤ 1 s : NON ATTEINT (p95 1,80 s)"
    assert missed[2] == "- 100 sessions arrivées en 10 s toutes servies, p95 ≤ 5 s : NON ATTEINT " \
                        "(100 servies sur 100, p95 5,40 s)"
    assert missed[3] == "- mémoire : moins de 100 Mo de plus par 50 sessions : NON ATTEINT (au plus 122 Mo)"
    assert missed[4] == "- 2 réplicas derrière le proxy ≥ 1,6 × un réplica : NON ATTEINT (1,40 ×)"
    assert missed[5] == "- navigateur ≤ 3 × la page vide : NON ATTEINT (pire page Vue d'ensemble 3,3 ×, " \
                        "meilleure 3,3 ×)"
    assert missed[6] == "- ×100 données ≤ 1,5 × le temps ×1 : NON ATTEINT (pire page 1,75 ×)"
    assert missed[8] == "- aucune erreur sous charge : NON ATTEINT (1 erreur(s))"


def test_the_profile_report_ranks_self_time_libraries_and_our_code():
    from bench import profile
    from observatoire.paths import ROOT

    site = f"{ROOT}/.venv/lib/python3.11/site-packages"
    raw = "\n".join([
        f"_run_script ({site}/streamlit/runtime/scriptrunner/script_runner.py:961);"
        f"<module> ({ROOT}/pages/1_adherents.py:7);query ({ROOT}/observatoire/ui.py:109);"
        f"copy ({site}/pandas/core/generic.py:6903) 30",
        f"_run_script ({site}/streamlit/runtime/scriptrunner/script_runner.py:961);"
        f"_on_script_finished ({site}/streamlit/runtime/scriptrunner/script_runner.py:1055) 60",
        "thread (0x7f);run (/usr/lib/python3.11/asyncio/events.py:80) 10",
    ])
    own, inclusive, ours, total = profile.parse(raw)
    assert total == 100
    assert own.most_common(1) == [("_on_script_finished (streamlit/runtime/scriptrunner/script_runner.py:1055)", 60)]
    assert ours["query (observatoire/ui.py:109)"] == 30 and ours["<module> (pages/1_adherents.py:7)"] == 30
    assert inclusive["_run_script (streamlit/runtime/scriptrunner/script_runner.py:961)"] == 90
    text = profile.top(raw)
    assert "   60.0 %  streamlit\n   30.0 %  pandas\n   10.0 %  Python (bibliothèque standard)" in text
    assert "   30.0 %  query (observatoire/ui.py:109)" in text
