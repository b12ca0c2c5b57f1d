"""French number formats come from Babel's locale data."""

from observatoire import fmt

NNBSP = "\u202f"  # Babel's fr_FR grouping separator (narrow no-break space)
NBSP = "\u00a0"


def test_thousands_are_grouped_the_french_way():
    assert fmt.number(1234) == f"1{NNBSP}234"
    assert fmt.number(68830) == f"68{NNBSP}830"


def test_decimals_use_a_comma():
    assert fmt.number(28.5) == "28,5"
    assert fmt.percent(21.3) == f"21,3{NBSP}%"
    assert fmt.percent(33) == f"33{NBSP}%"


def test_money_is_compact_in_euros():
    assert fmt.with_unit(2812, "k€") == f"2,8{NBSP}M€"
    assert fmt.with_unit(308, "M€") == f"308{NBSP}M€"
    assert fmt.with_unit(708000, "€") == f"708{NBSP}k€"
    assert fmt.with_unit(355, "€") == f"355{NBSP}€"


def test_missing_values_say_so():
    assert fmt.with_unit(None, "nombre") == "n.d."
    assert fmt.with_unit(float("nan"), "%") == "n.d."


def test_units_are_appended():
    assert fmt.with_unit(28.5, "ETP") == f"28,5{NBSP}ETP"
    assert fmt.with_unit(2011, "année") == "2011"


WJ = fmt.WORD_JOINER


def test_plain_escapes_links_images_html_and_formatting():
    assert fmt.plain("[Connexion admin](https://evil.example)") == \
        f"\\[Connexion admin\\](https{WJ}:{WJ}//evil.example)"
    assert fmt.plain("![](http://127.0.0.1:9/x.png)") == f"!\\[\\](http{WJ}:{WJ}//127.0.0.1:{WJ}9/x.png)"
    assert fmt.plain("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"
    assert fmt.plain("**gras** `code` ~~barré~~ $x$ a_b #1 | &amp;") == \
        "\\*\\*gras\\*\\* \\`code\\` \\~\\~barré\\~\\~ \\$x\\$ a\\_b \\#1 \\| \\&amp;"


def test_plain_breaks_autolinks_and_shortcodes_invisibly():
    assert fmt.plain("www.evil.example") == f"www{WJ}.evil.example"
    assert fmt.plain("admin@evil.example") == f"admin@{WJ}evil.example"
    assert fmt.plain(":smile: :red[x] :material/home:") == f":{WJ}smile: :{WJ}red\\[x\\] :{WJ}material/home:"
    assert fmt.plain("https://x").replace(WJ, "") == "https://x"  # the reader sees the same characters


def test_plain_keeps_ordinary_french_text_and_has_no_block_markup():
    text = "Rapport d'activité 2014 — « Les équipes » (p. 12), 2\u202f812 k€ : 41 adhérents."
    assert fmt.plain(text) == text
    assert fmt.plain("1. liste") == "1\\. liste"
    assert fmt.plain("- tiret\n\n    # titre\r\n> cité") == "\\- tiret \\# titre \\> cité"
    assert fmt.plain(None) == "" and fmt.plain(float("nan")) == ""


def test_html_and_plotly_text_escape_markup():
    assert fmt.html_text('<a href="x">Cie & fils</a>') == "&lt;a href=&quot;x&quot;&gt;Cie &amp; fils&lt;/a&gt;"
    assert fmt.plotly_text('<a href="x">Cie & fils</a>') == '&lt;a href="x"&gt;Cie &amp; fils&lt;/a&gt;'


def test_years_euros_and_booleans_for_tables():
    assert fmt.year(2014) == "2014" and fmt.year(2014.0) == "2014"  # never « 2 014 »
    assert fmt.euros(4549860) == f"4{NNBSP}549{NNBSP}860{NBSP}€"
    assert (fmt.yes_no(True), fmt.yes_no(False)) == ("oui", "non")


def test_every_missing_value_is_a_dash_in_a_table():
    import pandas as pd

    assert [fmt.year(v) for v in (None, float("nan"), pd.NA)] == [fmt.EMPTY] * 3
    assert fmt.euros(None) == fmt.yes_no(pd.NA) == "—"
    assert fmt.number(pd.NA) == fmt.MISSING
