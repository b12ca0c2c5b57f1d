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
