"""Server time of a warm rerun per page (AppTest, median of N), next to Streamlit's floors."""

from __future__ import annotations

import statistics
import time

from streamlit.testing.v1 import AppTest

from bench.pages import PAGES, TERRITORY
from observatoire.paths import ROOT


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


def floor(script: str, runs: int = 20) -> float:
    return _median_rerun(AppTest.from_file(str(ROOT / "bench" / script), default_timeout=120), runs)


def page(path: str, runs: int = 20, territory: str | None = TERRITORY) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if path != "app.py":
        at.switch_page(path)
    if territory:
        at.query_params["territoire"] = territory
    return _median_rerun(at, runs)


def measure(runs: int = 20) -> dict:
    """Medians in seconds: floors, then every page, with ratios to the one-chart floor."""
    empty = floor("floor_empty.py", runs)
    one_chart = floor("floor_chart.py", runs)
    pages = {name: page(path, runs) for name, (path, _) in PAGES.items()}
    return {
        "runs": runs,
        "floor_empty_s": empty,
        "floor_one_chart_s": one_chart,
        "pages_s": pages,
        "ratio_to_one_chart": {name: t / one_chart for name, t in pages.items()},
    }
