"""Accessibility audit of every page with axe-core (npm), injected by Playwright: no serious
or critical violation in our own content (the main area and our sidebar)."""

from __future__ import annotations

import pytest

from observatoire.paths import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "adherents", "financements", "qualite_cedre", "innovation", "utilite_sociale", "mon_territoire",
         "sources", "administration"]

RUN_AXE = """async () => {
  const result = await axe.run(
    {include: [['[data-testid="stMain"]'], ['[data-testid="stSidebarUserContent"]']]},
    {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation(server, probe, path):
    assert AXE.is_file(), "axe-core absent : lancez « npm ci » (fait par make test)"
    probe.open(f"{server}/{path}?territoire=fed-midi-pyrenees")
    probe.page.wait_for_timeout(1000)  # let fade-in transitions end: axe measures what is painted
    probe.page.add_script_tag(path=str(AXE))
    violations = probe.page.evaluate(RUN_AXE)
    assert violations == [], violations
