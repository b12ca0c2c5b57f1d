"""Small table shapes the pages need (pivot, search), and the one French form of every table shown or downloaded."""

from __future__ import annotations

import unicodedata
from collections import namedtuple
from functools import lru_cache

import pandas as pd

from observatoire import fmt

# Rows a list shows on screen; the download always holds every row.
MAX_ROWS_SHOWN = 1000


def fold(text: str) -> str:
    """Lower case without accents, for searches."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()


def records(df: pd.DataFrame) -> list:
    """The rows as named tuples of plain Python values (DataFrame.itertuples(index=False), 3 to 5 times faster).

    Pages loop over small query results at every rerun; with pandas 3 string columns
    itertuples() costs about 0.1 ms per row and column.
    """
    row = _row_type(tuple(map(str, df.columns)))
    return [row._make(values) for values in zip(*(df[c].tolist() for c in df.columns))]


@lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]):
    return namedtuple("Row", columns, rename=True)


def search(df: pd.DataFrame, text: str, columns: list[str]) -> pd.DataFrame:
    """Rows where every word of `text` appears in one of `columns` (accent and case blind)."""
    words = fold(text).split()
    if not words:
        return df
    haystack = df[columns].astype(str).agg(" ".join, axis=1).map(fold)
    mask = pd.Series(True, index=df.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    return df[mask]


def type_matrix(df: pd.DataFrame, type_labels: dict[str, str]) -> pd.DataFrame:
    """subterritory x structure type counts (long) -> a wide table with a total column and row."""
    if df.empty:
        return pd.DataFrame()
    wide = df.pivot_table(index="subterritory", columns="structure_type", values="members",
                          aggfunc="sum", fill_value=0)
    order = [c for c in type_labels if c in wide.columns]
    wide = wide[order]
    wide["Total"] = wide.sum(axis=1)
    wide = wide.sort_values("Total", ascending=False)
    wide.loc["Total"] = wide.sum()
    wide = wide.rename(columns=type_labels).astype(int)
    wide.index.name = "Territoire"
    wide.columns.name = None
    return wide.reset_index()


def pick(df: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """The columns a page shows, in this order, under their French headers."""
    return df[list(headers)].rename(columns=headers)


def territory_figures_table(df: pd.DataFrame) -> pd.DataFrame:
    """A territory's published figures (query territory_figures) as a page shows them, values in French format."""
    values = [fmt.with_unit(v, u) for v, u in zip(df.value.tolist(), df.unit.tolist())]
    return pick(df.assign(valeur=values), {
        "territory": "Territoire", "label": "Indicateur", "category_label": "Catégorie", "valeur": "Valeur",
        "year": "Année", "relation": "Publié pour", "source_short": "Source"})


def figures_table(df: pd.DataFrame) -> pd.DataFrame:
    """Published figures as a readable table: label, value in French format, year, source."""
    # Column lists rather than itertuples(): 5 to 10 times faster with pandas 3 string columns,
    # and this runs at every rerun of the pages.
    labels, categories = df.label.tolist(), df.category_label.tolist()
    return pd.DataFrame({
        "Indicateur": [f"{label} — {category}" if category and category == category and category != label
                       else label for label, category in zip(labels, categories)],
        "Valeur": [fmt.with_unit(v, u) for v, u in zip(df.value.tolist(), df.unit.tolist())],
        "Année": [str(int(y)) for y in df.year.tolist()],
        "Source": df.source_short.tolist(),
    })


# --------------------------------------------------------------------------- French tables
# The French header of every column name a query returns, in one place: pages, blocks and downloads
# rename through it (a header already French is kept).
HEADERS = {
    "name": "Nom", "person": "Nom", "role": "Fonction", "note": "Remarque", "title": "Intitulé",
    "type_label": "Type", "structure_label": "Type de structure",
    "structure_description": "Description de la structure",
    "commune": "Commune", "commune_name": "Commune", "other_communes": "Autres communes",
    "departement": "Département",
    "region_2014": "Région (2014)", "region_2016": "Région (2016)", "federation": "COORACE régional",
    "coorace_regional": "COORACE régional", "territory": "Territoire", "territory_name": "Territoire",
    "place": "Lieu", "location": "Localisation", "lon": "Longitude", "lat": "Latitude",
    "label_scheme": "Label qualité", "label_year": "Année du label", "scheme": "Label", "level": "Niveau",
    "event": "Événement", "certification": "Label", "certified_since": "Certifiée depuis",
    "certification_note": "Remarque sur le label", "is_demo": "Démonstration", "estimated": "Champs estimés",
    "year": "Année", "creation_year": "Année de création", "fte": "ETP", "turnover_eur": "Chiffre d'affaires (€)",
    "members": "Adhérents", "certified": "Certifiés", "caption": "Précision", "theme_label": "Thème",
    "label": "Libellé",
    "category_label": "Catégorie", "value": "Valeur", "unit": "Unité", "carrier": "Porteur",
    "axis": "Axe d'innovation", "axis_basis": "Classement par axe", "summary": "Résumé", "domain": "Domaine",
    "price_member_eur": "Tarif adhérent (€)", "price_non_member_eur": "Tarif non adhérent (€)",
    "duration_text": "Durée", "hours": "Heures", "min_trainees": "Stagiaires (minimum)",
    "max_trainees": "Stagiaires (maximum)", "trainers": "Formateurs", "document": "Document",
    "section": "Section du document", "original_text": "Texte original", "source": "Source",
    "source_short": "Source", "table_label": "Description de la table", "table_name": "Table (nom dans la base)",
    "column_name": "Colonne (nom dans la base)", "data_type": "Type de données", "description": "Description",
    "dep_code": "Département (code)", "dep_name": "Département",
}
# Headers whose numbers are years: written without a thousands separator.
_YEAR_HEADERS = ("Année", "Création", "Certifiée depuis")


def french_headers(df: pd.DataFrame) -> pd.DataFrame:
    """The columns under their French headers (HEADERS); headers already French are kept."""
    return df.rename(columns=lambda c: HEADERS.get(c, c))


def _is_year(header) -> bool:
    return str(header).startswith(_YEAR_HEADERS)


def _decimals(values: list) -> int:
    """Digits after the comma a numeric column needs: none when every value is whole, else up to two."""
    present = [float(v) for v in values if not fmt._missing(v)]
    if all(v.is_integer() for v in present):
        return 0
    return 1 if all(round(v, 1) == v for v in present) else 2


def _text(value) -> str:
    text = fmt.as_text(value).strip()
    return text or fmt.EMPTY


def _cells(header, column: pd.Series) -> list[str]:
    values = column.tolist()
    if pd.api.types.is_bool_dtype(column):
        return [fmt.yes_no(v) for v in values]
    if pd.api.types.is_numeric_dtype(column):
        if _is_year(header):
            return [fmt.year(v) for v in values]
        decimals = _decimals(values)
        return [fmt.EMPTY if fmt._missing(v) else fmt.number(v, decimals) for v in values]
    return [_text(v) for v in values]


def shown(df: pd.DataFrame) -> pd.DataFrame:
    """A table as a page shows it: French headers, every cell a French string (708 000, 56,0, 2014, oui),
    « — » for an empty cell. Streamlit's own number formats follow the browser's language, these do not."""
    out = french_headers(df)
    return pd.DataFrame({i: _cells(header, out.iloc[:, i]) for i, header in enumerate(out.columns)},
                        index=range(len(out))).set_axis(list(out.columns), axis=1)


def for_download(df: pd.DataFrame) -> pd.DataFrame:
    """A table as a file gives it: French headers, numbers kept as numbers (whole ones as integers, years
    without decimals), yes/no in words, empty cells left empty."""
    out = french_headers(df).copy()
    for i, header in enumerate(out.columns):
        column = out.iloc[:, i]
        if pd.api.types.is_bool_dtype(column):
            out.isetitem(i, [fmt.yes_no(v) if not fmt._missing(v) else None for v in column.tolist()])
        elif pd.api.types.is_float_dtype(column) and (_is_year(header) or _decimals(column.tolist()) == 0):
            out.isetitem(i, column.round().astype("Int64"))
    out.columns.name = None
    return out


# The published figures' catalogue (Sources page) in words: no theme, indicator or category codes.
CATALOGUE_COLUMNS = {"theme_label": "Thème", "label": "Indicateur", "category_label": "Catégorie", "value": "Valeur",
                     "unit": "Unité", "year": "Année", "territory": "Territoire",
                     "source": "Source (document — section — « texte original »)"}


def catalogue_table(df: pd.DataFrame) -> pd.DataFrame:
    """The catalogue as the Sources page shows it: each value with its own decimals (19, 21,3, 2 812), n.d. if none."""
    return pick(df.assign(value=[fmt.number(v) for v in df.value.tolist()]), CATALOGUE_COLUMNS)
