"""The code's shape that issue « One definition per chart » asks for, kept: no module of the application over
400 lines, and pages that hold no SQL, no pandas and no DuckDB (they lay out blocks; observatoire/ computes)."""

from __future__ import annotations

import re

import pytest

from observatoire.paths import ROOT

APPLICATION = sorted([*ROOT.joinpath("observatoire").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py"),
                      ROOT / "app.py", *ROOT.joinpath("bench").glob("*.py"), *ROOT.joinpath("deploy").glob("*.py")])
PAGES = [ROOT / "app.py", *sorted(ROOT.joinpath("pages").glob("*.py"))]
MAX_LINES = 400


@pytest.mark.parametrize("path", APPLICATION, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} : {lines} lignes"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_a_page_holds_no_sql_nor_pandas(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(pandas|duckdb)\b", text, re.MULTILINE), path.name
    assert not re.search(r"\b(select|insert|update|delete)\s+.+\s+(from|into|set)\b", text, re.IGNORECASE), path.name
    assert not re.search(r"\.(pivot|pivot_table|merge|groupby|melt)\(", text), path.name
