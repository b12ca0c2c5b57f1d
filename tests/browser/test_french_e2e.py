"""In Chromium: a table's CSV download has French headers and French decimals (Utilité sociale)."""

from __future__ import annotations

from pathlib import Path


def test_enterprises_csv_download_is_french(server, probe, tmp_path):
    probe.open(f"{server}/utilite_sociale")
    button = probe.page.locator(".st-key-csv_enterprises button")
    with probe.page.expect_download(timeout=30000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "entreprises-utilite-sociale.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    lines = Path(target).read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "Entreprise;Type;Localisation;COORACE régional;Création;ETP;Chiffre d'affaires (€);Label"
    tremplin = next(line for line in lines if line.startswith("TREMPLIN 95;"))
    assert ";28,5;635197;" in tremplin  # decimal comma, the euros as a whole number
    assert sum(line.endswith(";non précisé") for line in lines) == 3  # the synthesis is silent on their label
    assert not probe.exceptions() and not probe.blocked
