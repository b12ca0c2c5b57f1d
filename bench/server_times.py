"""Server time of a warm rerun per view (a page, or a section of it: AppTest, median of N), next to Streamlit's
floors."""

from __future__ import annotations

import statistics
import time
from urllib.parse import parse_qsl

from streamlit.testing.v1 import AppTest

from bench.pages import TERRITORY, VIEWS
from observatoire.paths import ROOT


def elements(at: AppTest) -> int:
    """Elements and blocks the last run drew (sidebar included)."""
    def count(node) -> int:
        children = getattr(node, "children", None) or {}
        return 1 + sum(count(child) for child in children.values())

    return count(at._tree) - 1  # AppTest's root is not an element


def _median_rerun(at: AppTest, runs: int) -> float:
    at.run()  # cold run: caches, imports
    if at.exception:
        raise RuntimeError(f"la page lève une exception : {at.exception[0].value}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def floor(script: str, runs: int = 20, **params) -> float:
    at = AppTest.from_file(str(ROOT / "bench" / script), default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = str(value)
    return _median_rerun(at, runs)


def page_and_elements(path: str, runs: int = 20, territory: str | None = TERRITORY,
                      section: str = "") -> tuple[float, int]:
    """A page's (section: its « onglet=… » query) median warm rerun and element count."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if path != "app.py":
        at.switch_page(path)
    if territory:
        at.query_params["territoire"] = territory
    for name, value in parse_qsl(section):
        at.query_params[name] = value
    return _median_rerun(at, runs), elements(at)


def page(path: str, runs: int = 20, territory: str | None = TERRITORY, section: str = "") -> float:
    return page_and_elements(path, runs, territory, section)[0]


def measure(runs: int = 20) -> dict:
    """Medians in seconds: floors, then every view, with ratios to the one-chart floor."""
    empty = floor("floor_empty.py", runs)
    one_chart = floor("floor_chart.py", runs)
    measured = {name: page_and_elements(path, runs, section=section) for name, (path, _, section) in VIEWS.items()}
    pages = {name: t for name, (t, _) in measured.items()}
    counts = {name: n for name, (_, n) in measured.items()}
    # the same number of plain texts, nothing computed: Streamlit's own cost for a page that size
    same_size = {name: floor("floor_elements.py", runs, n=n) for name, n in counts.items()}
    return {
        "runs": runs,
        "floor_empty_s": empty,
        "floor_one_chart_s": one_chart,
        "pages_s": pages,
        "ratio_to_one_chart": {name: t / one_chart for name, t in pages.items()},
        "elements": counts,
        "floor_same_size_s": same_size,
        "ratio_to_same_size": {name: pages[name] / same_size[name] for name in pages},
    }
