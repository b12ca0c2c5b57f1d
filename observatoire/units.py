"""The units a published figure can have: the one list, written into the database by the build (table units).

The schema's foreign key, the source and import checks, the XLSX template and the number formats all read it.
"""

from __future__ import annotations

import pandas as pd

# unit -> euros per unit for money (None otherwise); order: the order shown to people
EUROS: dict[str, float | None] = {
    "nombre": None, "%": None, "€": 1.0, "k€": 1e3, "M€": 1e6, "ETP": None, "heures": None, "jours": None,
    "année": None,
}
NAMES: tuple[str, ...] = tuple(EUROS)
MONEY = {unit: euros for unit, euros in EUROS.items() if euros is not None}
SPELLED_AFTER = ("ETP", "heures", "jours")  # counts printed with their unit after the number


def frame() -> pd.DataFrame:
    """The list as rows (position, unit, euros): the build registers it as stg_units."""
    return pd.DataFrame({"position": range(1, len(NAMES) + 1), "unit": list(NAMES),
                         "euros": [EUROS[u] for u in NAMES]})
