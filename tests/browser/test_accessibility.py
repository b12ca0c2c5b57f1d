"""Accessibility audit of every page, and every section of the pages in sections, with axe-core (npm), injected by
Playwright: no serious or critical violation in our own content (the main area and our sidebar)."""

from __future__ import annotations

import pytest

from observatoire.paths import ROOT
from observatoire.ui import PAGES as ALL_PAGES
from observatoire.ui import SECTION_PARAM

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "adherents", "financements", "qualite_cedre", "innovation", "utilite_sociale", "mon_territoire",
         "sources", "administration"]
# the other sections of the pages in sections (their first one is the page above)
SECTIONS = [f"{p.url_path}?{SECTION_PARAM}={section}" for p in ALL_PAGES for section in p.sections[1:]]

RUN_AXE = """async () => {
  const result = await axe.run(
    {include: [['[data-testid="stMain"]'], ['[data-testid="stSidebarUserContent"]']]},
    {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


@pytest.mark.parametrize("path", PAGES + SECTIONS)
def test_no_serious_or_critical_violation(server, probe, path):
    assert AXE.is_file(), "axe-core absent : lancez « npm ci » (fait par make test)"
    probe.open(f"{server}/{path}{'&' if '?' in path else '?'}territoire=fed-midi-pyrenees")
    # Streamlit fades elements in and out around reruns: axe measures painted colours, so wait
    # until every element is fully opaque again.
    probe.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stElementContainer\"]')]"
        ".every(e => getComputedStyle(e).opacity === '1')", timeout=15000)
    probe.page.wait_for_timeout(500)
    probe.page.add_script_tag(path=str(AXE))
    violations = probe.page.evaluate(RUN_AXE)
    assert violations == [], violations
