"""The benchmark's table and target lines (bench/report.py) say what the figures say."""

from __future__ import annotations

from bench import report
from bench.pages import PAGES


def _results(page_s: float, x100_s: float, browser_s: float) -> dict:
    names = list(PAGES)
    return {
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
        "memory": {"1_session_kb": 300 * 1024, "20_sessions_kb": 320 * 1024, "errors": []},
        "deck": {"slides": 15, "pptx_and_pdf": 2.2, "first_pptx_and_pdf": 4.4, "repeats": 3},
        "total_seconds": 250.0,
    }


def test_the_table_has_a_row_per_page_in_french_numbers():
    text = report.table(_results(0.010, 0.012, 1.2))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 2 + len(PAGES)  # header, two floors, the pages
    overview = next(r for r in rows if r.startswith("| Vue d'ensemble |"))
    cells = [c.strip() for c in overview.strip("|").split("|")]
    assert cells[1:6] == ["10 ms", "2,5", "60", "8 ms", "1,2"]
    assert cells[7] == "1,20" and cells[8] == "1,20 s" and cells[9] == "123\u202f456"
    assert "52\u202f300 adhérents" in text


def test_targets_say_met_or_not_met_with_the_worst_figure():
    met = report.targets(_results(0.010, 0.012, 1.2))
    assert all("NON ATTEINT" not in line for line in met), met
    missed = report.targets(_results(0.040, 0.070, 2.6))
    assert "serveur ≤ 3 × la page à un graphique : NON ATTEINT (pire page 10,0 ×" in missed[0]
    assert missed[1] == "- navigateur ≤ 2,5 s par page : NON ATTEINT (pire page 2,60 s)"
    assert missed[2] == "- ×100 données ≤ 1,5 × le temps ×1 : NON ATTEINT (pire page 1,75 ×)"
