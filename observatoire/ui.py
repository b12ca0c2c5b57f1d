"""Streamlit side of the dashboard: page set-up, menu, territory filter, cached queries.

In Streamlit's automatic multipage mode every page script runs on its own (app.py does
not run first), so every page starts with `ctx = ui.page(...)`.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import streamlit as st

from observatoire import db, figure_cache, fmt, memo
from observatoire.paths import ASSETS_DIR, ROOT, db_path

APP_TITLE = "Observatoire COORACE"
# Figures are built once per distinct data and shared by reruns and sessions (never modify one).
figure = figure_cache.cached


class Page(NamedTuple):
    """One page of the menu: its script, French title, icon; data pages show the database's figures."""

    path: str
    label: str
    icon: str
    data: bool = True
    sections: tuple[str, ...] = ()  # tabs, one open at a time (show.section())

    @property
    def url_path(self) -> str:
        """The URL path Streamlit serves the page at ("" for the home page)."""
        return "" if self.path == "app.py" else re.sub(r"^\d+_", "", Path(self.path).stem)


# The one page list: the menu, the tests and the benchmark read it.
PAGES = [
    Page("app.py", "Vue d'ensemble", ":material/dashboard:"),
    Page("pages/1_adherents.py", "Adhérents", ":material/groups:",
         sections=("Carte et types", "Liste des adhérents", "Équipes régionales")),
    Page("pages/2_financements.py", "Financements", ":material/euro:",
         sections=("Ressources et chiffre d'affaires", "Financements et secteurs")),
    Page("pages/3_qualite_cedre.py", "Qualité CEDRE", ":material/verified:",
         sections=("Le label CEDRE", "Nouveaux certifiés", "Engagements")),
    Page("pages/4_innovation.py", "Innovation", ":material/lightbulb:"),
    Page("pages/5_utilite_sociale.py", "Utilité sociale", ":material/diversity_3:"),
    Page("pages/10_reseau.py", "Le réseau", ":material/hub:"),
    Page("pages/6_mon_territoire.py", "Mon territoire", ":material/location_on:",
         sections=("Profil", "Comparaison", "Chiffres et projets")),
    Page("pages/7_sources.py", "Sources et données", ":material/database:",
         sections=("Chiffres publiés", "Téléchargements", "Dictionnaire et documents")),
    Page("pages/8_presentation.py", "Présentation", ":material/slideshow:", data=False),
    Page("pages/9_administration.py", "Administration", ":material/admin_panel_settings:", data=False),
]
DATA_PAGES = [p for p in PAGES if p.data]
SECTION_PARAM = "onglet"  # ?onglet=Comparaison opens that section of the page
LEVEL_LABELS = {
    "france": "France",
    "federation": "COORACE régional",
    "region_2014": "Région (2014)",
    "departement": "Département",
}


@dataclass(frozen=True)
class Context:
    """What every page needs: the selected territory and the reference year."""

    territory: str
    territory_name: str
    level: str
    year: int
    notice: str | None = None

    @property
    def is_national(self) -> bool:
        return self.territory == "FR"

    @property
    def scope(self) -> str:
        """The territorial scope printed under a block."""
        return "France entière" if self.is_national else self.territory_name


_connections: dict[str, tuple[float, duckdb.DuckDBPyConnection]] = {}
_connection_lock = threading.Lock()


def connection() -> duckdb.DuckDBPyConnection:
    """The read-only connection to the current database file (queries take a cursor each).

    DuckDB keeps one open instance per file path: as long as a connection to the old file is
    open, connecting again after an import (the file replaced by os.replace) still reads the
    old data. So when the file's version changes, the old connection is closed first.
    """
    path, version = _db_version()
    with _connection_lock:
        current = _connections.get(path)
        if current is not None and current[0] == version:
            return current[1]
        if current is not None:
            current[1].close()
            del _connections[path]
        else:
            _start_versions(Path(path))
        con = db.connect(Path(path))
        _connections[path] = (version, con)
        return con


def _start_versions(path: Path) -> None:
    """Once per process and file: remove what killed writers left beside the base, reconcile the journal."""
    if not path.is_file():
        return  # db.connect says in French how to build it
    from observatoire import versions

    try:
        for message in versions.start(path):
            logging.getLogger(__name__).warning(message)
    except Exception:  # noqa: BLE001 - housekeeping must never stop a page; the detail goes to the log
        logging.getLogger(__name__).exception("Nettoyage des versions impossible au démarrage")


def _run_query(name: str, params: dict) -> pd.DataFrame:
    try:
        df = db.run_query(name, params, con=connection())
    except duckdb.ConnectionException:
        # another session closed the connection because the database was just replaced
        df = db.run_query(name, params, con=connection())
    # Text columns as Python objects: pages read these small results row by row at every rerun,
    # and pandas 3's Arrow-backed strings are several times slower to read that way.
    text = {c: object for c in df.columns if isinstance(df[c].dtype, pd.StringDtype)}
    return df.astype(text) if text else df


_queries = memo.LruCache(max_entries=256)


def _db_version() -> tuple[str, float]:
    path = db_path()
    return str(path), path.stat().st_mtime if path.is_file() else 0.0


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query (queries/<name>.sql), cached on the database file's version; returns a copy.

    A shallow copy is enough: with pandas 3's copy-on-write a page that changes it never changes the cache
    (tests/test_caching.py), at half the cost of a deep copy at every call."""
    key = (name, tuple(sorted(params.items())), *_db_version())
    return _queries.get(key, lambda: _run_query(name, dict(params))).copy(deep=False)


_derived = memo.LruCache(max_entries=256)


def derived(fn, /, *args, **kwargs) -> pd.DataFrame:
    """fn(*args, **kwargs) for a pure table-shaping function (observatoire.tables), cached on the content
    of its arguments; returns a copy. Pivots and formatted tables cost milliseconds at every rerun."""
    return _derived.get(memo.fingerprint(fn, args, kwargs), lambda: fn(*args, **kwargs)).copy(deep=False)


_blocks = memo.LruCache(max_entries=256)


def cached(fn, /, *args, **kwargs):
    """fn(connection, *args, **kwargs) for a block function (observatoire.blocks), cached on the database file's
    version and the arguments; the result is shared by sessions: read-only."""
    key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())), *_db_version())

    def build():
        try:
            return fn(connection(), *args, **kwargs)
        except duckdb.ConnectionException:  # another session closed it: the database was just replaced
            return fn(connection(), *args, **kwargs)

    return _blocks.get(key, build)


def block(fn, ctx: Context, territory: str | None = None, **kwargs):
    """The block fn(con, territory, year) of the selected territory (or another one) and year, cached."""
    return cached(fn, territory or ctx.territory, ctx.year, **kwargs)


def clear_caches() -> None:
    """Forget cached query results, slides and figures (after an import or a rollback)."""
    _queries.clear()
    _territories.clear()
    _slides.clear()
    _derived.clear()
    _blocks.clear()
    figure_cache.clear()


@cache
def _asset(name: str) -> str:
    """A file of assets/ (style sheet, script: constant text), read once per process, not at every rerun."""
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def _inject_css() -> None:
    st.html(f"<style>{_asset('style.css')}</style>")


def _database_error(exc: Exception) -> None:
    st.error(
        f"**Les données du tableau de bord ne sont pas disponibles.**\n\n{fmt.plain(exc)}\n\n"
        "Depuis le dossier du projet, lancez `make data` (ou `make run`, qui reconstruit la base au besoin), "
        "puis rechargez cette page."
    )
    st.stop()


@dataclass(frozen=True)
class Territories:
    """The selectable territories and data years, as plain Python structures (built once per database)."""

    names: dict[str, str]
    levels: dict[str, str]
    by_level: dict[str, list[str]]
    years: list[int]


_territories = memo.LruCache(max_entries=4)


def territories() -> Territories:
    def build() -> Territories:
        df = query("territory_list")
        ids, levels = df.territory_id.tolist(), df.level.tolist()
        by_level: dict[str, list[str]] = {}
        for territory_id, level in zip(ids, levels):
            by_level.setdefault(level, []).append(territory_id)
        return Territories(names=dict(zip(ids, df.name.tolist())), levels=dict(zip(ids, levels)),
                           by_level=by_level, years=[int(y) for y in query("data_years").year.tolist()])

    return _territories.get(_db_version(), build)


def _resolve_territory(known: Territories, raw: str | None) -> tuple[str, str | None]:
    if raw is None or raw == "":
        return "FR", None
    if raw in known.names:
        return raw, None
    shown = fmt.plain(raw if len(raw) <= 40 else raw[:40] + "…")  # typed by anyone: text, never Markdown
    return "FR", (
        f"Le territoire « {shown} » demandé dans l'adresse n'existe pas : "
        "le tableau de bord affiche la France entière. Choisissez un territoire dans le panneau latéral."
    )


def _follow_url(known: Territories, current: str) -> bool:
    """Set the filter widgets to the URL's territory when the URL changed without them (a map click, a link,
    a bookmark): otherwise the browser would keep showing the previous level beside the new territory.
    True when it did (the widgets then take no default of their own: Streamlit would warn)."""
    if st.session_state.get("_filter_territory") == current:
        return False  # the URL is what the widgets last produced: a change there is the user's own
    level = known.levels[current]
    st.session_state["filter_level"] = level
    st.session_state[f"filter_territory_{level}"] = current
    return True


def _sidebar_filter(known: Territories, current: str, year: int) -> tuple[str, int]:
    followed = _follow_url(known, current)
    with st.sidebar:
        st.markdown(f"### {APP_TITLE}")
        levels = list(LEVEL_LABELS)
        level = st.selectbox(
            "Échelon territorial", levels, index=0 if followed else levels.index(known.levels[current]),
            format_func=LEVEL_LABELS.get, key="filter_level",
        )
        ids = known.by_level[level]
        default = ids.index(current) if current in ids and not followed else 0
        territory = st.selectbox(
            "Territoire", ids, index=default, format_func=known.names.get, key=f"filter_territory_{level}",
        )
        year = st.selectbox("Année des données", known.years, index=known.years.index(year), key="filter_year")
    return territory, year


@cache
def _menu_pages() -> tuple:
    """The pages of PAGES present on disk, looked up once per process."""
    return tuple(entry for entry in PAGES if (ROOT / entry[0]).is_file())


def _menu(territory: str) -> None:
    with st.sidebar:
        st.divider()
        for path, label, icon, *_ in _menu_pages():
            params = {} if territory == "FR" else {"territoire": territory}
            st.page_link(path, label=label, icon=icon, query_params=params)
        st.divider()
        documents = query("source_documents")
        st.caption("Chiffres : " + " ; ".join(fmt.plain(t) for t in documents.short_title) + ".")
        # closes the sidebar after a menu click on a phone (Streamlit leaves it over the page)
        st.html(f"<script>{_asset('close_sidebar.js')}</script>", unsafe_allow_javascript=True)


def page(title: str) -> Context:
    """Set the page up (config, style, menu, filter) and return the selected context."""
    # A local favicon: a Material icon here would be fetched from a font CDN.
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=str(ASSETS_DIR / "favicon.png"),
                       layout="wide")
    _inject_css()
    try:
        known = territories()
    except db.DatabaseUnavailable as exc:
        _database_error(exc)
    years = known.years
    current, notice = _resolve_territory(known, st.query_params.get("territoire"))
    year_param = st.query_params.get("annee")
    year = int(year_param) if year_param in {str(y) for y in years} else max(years)
    territory, year = _sidebar_filter(known, current, year)
    # Write the filter back to the URL so that a copied link opens the same view.
    if territory == "FR":
        st.query_params.pop("territoire", None)
    else:
        st.query_params["territoire"] = territory
    st.session_state["_filter_territory"] = territory
    if year != max(years):
        st.query_params["annee"] = str(year)
    else:
        st.query_params.pop("annee", None)
    _menu(territory)
    ctx = Context(territory=territory, territory_name=known.names[territory], level=known.levels[territory],
                  year=year, notice=notice)
    st.title(title)
    if notice:
        st.warning(notice, icon=":material/travel_explore:")
    return ctx


def heading(text: str) -> None:
    """A block's title (level 4), shown as plain text: titles carry territory and project names."""
    st.markdown(f"#### {fmt.plain(text)}")


def demo_badge(text: str = "données de démonstration") -> None:
    """A visible badge wherever demonstration rows feed what the page shows."""
    st.markdown(
        f'<span class="demo-badge" role="note">{html.escape(text)}</span>',
        unsafe_allow_html=True,
    )


def slug(text: str) -> str:
    """A file-name-safe lower-case ASCII form of a title or a territory's name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "donnees"


def select_territory(territory_id: str, chart_key: str | None = None) -> None:
    """Make a clicked territory the dashboard's filter (kept in the URL).

    The chart's selection is forgotten first: kept, it would select the territory again at every
    rerun, and the page would never stop running.
    """
    if chart_key is not None:
        st.session_state.pop(chart_key, None)
    if territory_id in territories().names and st.query_params.get("territoire") != territory_id:
        st.query_params["territoire"] = territory_id  # the filter widgets follow at the next run
        st.rerun()


_slides = memo.LruCache(max_entries=32)


def deck_slides(ctx: Context) -> list:
    """Every slide available for the selected territory and year (observatoire.slides), cached; read-only."""
    from observatoire import slides

    key = (ctx.territory, ctx.year, *_db_version())
    return list(_slides.get(key, lambda: slides.build_slides(connection(), ctx.territory, ctx.year)))


