"""Speed measurements: `make bench` runs `python -m bench.run`.

One function per measurement returns a dict of results (seconds are medians of REPEATS runs);
main() runs them all, prints a table and writes bench/results.json, one key per measurement.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

from bench import report
from observatoire import db, deck, slides

REPEATS = 3
RESULTS = Path(__file__).resolve().parent / "results.json"
DECK_TARGET_SECONDS = 10.0


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _median(fn, repeats: int = REPEATS) -> float:
    return round(statistics.median(_timed(fn) for _ in range(repeats)), 3)


def deck_export_seconds(territory: str = "FR", year: int = 2014) -> dict:
    """The full default deck of a territory, from the database to PowerPoint and PDF.

    "first" is the first build in a fresh process: it includes starting the headless
    Chromium that draws the charts (the dashboard starts it while the presenter picks slides).
    """
    con = db.connect()
    try:
        def build() -> list[slides.Slide]:
            available = slides.build_slides(con, territory, year)
            return slides.select(available, slides.default_selection(available))

        count = len(build())
        first = round(_timed(lambda: deck.export(build())), 3)
        return {
            "territory": territory,
            "year": year,
            "slides": count,
            "repeats": REPEATS,
            "first_pptx_and_pdf": first,
            "slides_from_database": _median(build),
            "pptx": _median(lambda: deck.export(build(), ("pptx",))),
            "pdf": _median(lambda: deck.export(build(), ("pdf",))),
            "pptx_and_pdf": _median(lambda: deck.export(build())),
            "target": DECK_TARGET_SECONDS,
        }
    finally:
        con.close()


def print_table(results: dict) -> None:
    rows = [(name, key, value) for name, result in results.items() for key, value in result.items()]
    width = max(len(f"{n}.{k}") for n, k, _ in rows)
    print(f"{'mesure'.ljust(width)}  valeur")
    for name, key, value in rows:
        shown = f"{value:.3f} s" if isinstance(value, float) and key not in ("target",) else str(value)
        print(f"{(name + '.' + key).ljust(width)}  {shown}")


def main() -> int:
    results = report.collect(deck_export_seconds)
    results["machine"]["platform"] = platform.platform()
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, RESULTS)
    print("Le vrai serveur sous charge\n")
    print(report.load_table(results))
    print("\nPar page (AppTest, ×100, navigateur)\n")
    print(report.table(results))
    print("\nObjectifs :")
    print("\n".join(report.targets(results)))
    print(f"\nRésultats détaillés : {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
