"""Years side by side through the doors people use: an administrator uploads a figures file of other years on the
administration page in Chromium, then the Financements page of 2015 shows each series beside the year before (the
change in the title, a legend per year) on a phone and on a desktop, with both years' sources."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_upload_e2e import login, upload_server  # noqa: F401 - the fixture, for this module
from tests.test_years_series import _rows

NAME = "series-2014-2015.csv"


def test_an_uploaded_year_shows_beside_the_year_before(upload_server, probe, artifacts):  # noqa: F811
    url = upload_server  # its own instance here: a fresh copy of the built database, an administrator
    probe.open(f"{url}/financements")
    main = probe.page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("Publié pour 2014 seulement : l'évolution s'affichera dès qu'une autre année")

    login(probe, url)
    page = probe.page
    page.get_by_role("tab", name="Importer").click()
    probe.choose("Type de fichier", "Chiffres publiés d'une année")
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    probe.act(lambda: uploader.set_input_files(files=[{"name": NAME, "mimeType": "text/csv", "buffer": _rows()}]))
    expect(page.get_by_text(f"{NAME} : fichier valide")).to_be_visible(timeout=30000)
    expect(page.get_by_text("l'année n'est pas encore proposée")).to_have_count(0)  # 2015 has its member total
    probe.act(lambda: page.get_by_role("button", name="Confirmer l'import").click(), timeout=60000)
    expect(page.get_by_text("Import enregistré (version")).to_be_visible(timeout=30000)
    # a file of a year the selector does not offer yet: the administrator is told how it will be
    later = _rows().decode().replace(",2015,FR,", ",2016,FR,").encode()
    later = b"\n".join(line for line in later.split(b"\n") if b"members_total" not in line)
    probe.act(lambda: uploader.set_input_files(files=[{"name": "chiffres-2016.csv", "mimeType": "text/csv",
                                                       "buffer": later}]))
    expect(page.get_by_text("chiffres-2016.csv : fichier valide")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Chiffres de 2016 : l'année n'est pas encore proposée dans « Année des données »")
           ).to_be_visible()

    for width, height in ((390, 844), (1400, 900)):
        page.set_viewport_size({"width": width, "height": height})
        probe.open(f"{url}/financements?annee=2015")
        expect(probe.combobox("Année des données")).to_have_value("2015")
        main = page.locator('[data-testid="stMain"]')
        expect(main).to_contain_text("Ressources du COORACE national, 2015 : 2,9\u00a0M€ (+88\u00a0k€ depuis 2014)")
        expect(main).to_contain_text("Chiffre d'affaires HT cumulé du réseau, 2014 : 317\u00a0M€ "
                                     "(+9\u00a0M€ depuis 2013)")
        card = page.locator('[data-testid="stVerticalBlock"]').filter(
            has=page.get_by_role("heading", name="Ressources du COORACE national, 2015", exact=False)).last
        svg_texts = "els => els.map(e => e.textContent)"  # SVG text has no innerText
        legend = card.locator(".legendtext").evaluate_all(svg_texts)  # the chart's own legend, one entry a year
        assert legend == ["2014", "2015"], legend
        values = card.locator(".bars .point text").evaluate_all(svg_texts)
        assert sorted(values) == sorted(["47\u00a0%", "27\u00a0%", "22\u00a0%", "4\u00a0%",
                                         "45\u00a0%", "28\u00a0%", "23\u00a0%", "4\u00a0%"]), values
        expect(card).to_contain_text(f"fichier {NAME} importé")  # the 2015 source, then the 2014 report's
        expect(card).to_contain_text("LA FÉDÉRATION — Ressources financières du COORACE national")
        card.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"financements_deux_annees_{width}.png"))
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"la page déborde : {scroll} px pour {width}"
    assert probe.exceptions() == [] and probe.blocked == []
