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
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from observatoire import charts, db, export, figure_cache, fmt, maps, memo, tables
from observatoire.paths import ASSETS_DIR, ROOT, db_path

APP_TITLE = "Observatoire COORACE"
# Figures are built once per distinct data and shared by reruns and sessions (never modify one).
figure = figure_cache.cached
PAGES = [
    ("app.py", "Vue d'ensemble", ":material/dashboard:"),
    ("pages/1_adherents.py", "Adhérents", ":material/groups:"),
    ("pages/2_financements.py", "Financements", ":material/euro:"),
    ("pages/3_qualite_cedre.py", "Qualité CEDRE", ":material/verified:"),
    ("pages/4_innovation.py", "Innovation", ":material/lightbulb:"),
    ("pages/5_utilite_sociale.py", "Utilité sociale", ":material/diversity_3:"),
    ("pages/6_mon_territoire.py", "Mon territoire", ":material/location_on:"),
    ("pages/7_sources.py", "Sources et données", ":material/database:"),
    ("pages/8_presentation.py", "Présentation", ":material/slideshow:"),
    ("pages/9_administration.py", "Administration", ":material/admin_panel_settings:"),
]
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


def clear_caches() -> None:
    """Forget cached query results, slides and figures (after an import or a rollback)."""
    _queries.clear()
    _territories.clear()
    _slides.clear()
    _derived.clear()
    figure_cache.clear()


def _inject_css() -> None:
    css = (ASSETS_DIR / "style.css").read_text(encoding="utf-8")
    st.html(f"<style>{css}</style>")


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


def _follow_url(known: Territories, current: str) -> None:
    """Set the filter widgets to the URL's territory when the URL changed without them (a map click, a link,
    a bookmark): otherwise the browser would keep showing the previous level beside the new territory."""
    if st.session_state.get("_filter_territory") == current:
        return  # the URL is what the widgets last produced: a change there is the user's own
    level = known.levels[current]
    st.session_state["filter_level"] = level
    st.session_state[f"filter_territory_{level}"] = current


def _sidebar_filter(known: Territories, current: str, year: int) -> tuple[str, int]:
    _follow_url(known, current)
    with st.sidebar:
        st.markdown(f"### {APP_TITLE}")
        levels = list(LEVEL_LABELS)
        level = st.selectbox(
            "Échelon territorial", levels, index=levels.index(known.levels[current]),
            format_func=LEVEL_LABELS.get, key="filter_level",
        )
        ids = known.by_level[level]
        default = ids.index(current) if current in ids else 0
        territory = st.selectbox(
            "Territoire", ids, index=default, format_func=known.names.get, key=f"filter_territory_{level}",
        )
        year = st.selectbox("Année des données", known.years, index=known.years.index(year), key="filter_year")
    return territory, year


def _menu(territory: str) -> None:
    with st.sidebar:
        st.divider()
        for path, label, icon in PAGES:
            if not (ROOT / path).is_file():
                continue
            params = {} if territory == "FR" else {"territoire": territory}
            st.page_link(path, label=label, icon=icon, query_params=params)
        st.divider()
        st.caption("Chiffres : rapport d'activité COORACE 2014 et synthèse « utilité sociale territoriale ».")


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


def kpi_tiles(df: pd.DataFrame, columns: int = 3) -> None:
    """KPI tiles: label, value in French format, unit, year and source of each figure."""
    rows = list(tables.records(df))
    for start in range(0, len(rows), columns):
        cols = st.columns(columns)
        for col, row in zip(cols, rows[start:start + columns]):
            _kpi_tile(col, row)


def _kpi_tile(col, row) -> None:
    with col.container(border=True):
        delta = None
        if getattr(row, "previous_value", None) is not None and not pd.isna(row.previous_value):
            delta = f"{fmt.with_unit(row.value - row.previous_value, row.unit)} depuis {int(row.previous_year)}"
        st.metric(fmt.plain(row.label), fmt.with_unit(row.value, row.unit), delta=delta, help=fmt.plain(row.source))
        st.caption(f"{fmt.plain(row.unit_label)} · {row.year} · Source : {fmt.plain(row.source_short)}")


def _slug(text: str) -> str:
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


def chart_block(
    title: str,
    fig,
    data: pd.DataFrame,
    source: str,
    scope: str,
    key: str,
    national_only: bool = False,
    ctx: Context | None = None,
    selects_territory: bool = False,
    pydeck: bool = False,
) -> None:
    """A chart with its title, source and scope, a table alternative and a data download.

    title, source and scope are plain text (they carry names from the database): shown literally.
    national_only: the figure exists only for France; when a territory is selected, say so
    rather than silently showing the national value.
    """
    with st.container(border=True):
        heading(title)
        if national_only and ctx is not None and not ctx.is_national:
            st.caption(
                f":material/info: Chiffre publié pour la France entière seulement : "
                f"il n'existe pas pour « {fmt.plain(ctx.territory_name)} »."
            )
        if pydeck:
            st.pydeck_chart(fig, key=f"chart_{key}")
        elif selects_territory:
            event = st.plotly_chart(fig, key=f"chart_{key}", on_select="rerun", selection_mode="points",
                                    config={"displayModeBar": False, "topojsonURL": maps.TOPOJSON_URL})
            points = (event or {}).get("selection", {}).get("points", []) if event else []
            if points:
                picked = points[0].get("customdata") or points[0].get("location")
                if isinstance(picked, list):
                    picked = picked[0]
                if picked:
                    select_territory(str(picked), chart_key=f"chart_{key}")
        else:
            st.plotly_chart(fig, key=f"chart_{key}", config={"displayModeBar": False, "topojsonURL": maps.TOPOJSON_URL})
        st.caption(f"Source : {fmt.plain(source)} · Périmètre : {fmt.plain(scope)}")
        with st.container(horizontal=True, vertical_alignment="center"):
            # The table is sent only when asked for: a data grid per chart weighs on every rerun.
            show_table = st.toggle("Tableau des données", key=f"table_{key}",
                                   help="Les chiffres du graphique sous forme de tableau")
            st.download_button(
                "Télécharger (CSV)", partial(export.to_csv, data), file_name=f"{_slug(title)}.csv",
                mime="text/csv", key=f"dl_{key}", icon=":material/download:", on_click="ignore",
            )
        if show_table:
            st.dataframe(data, hide_index=True, width="stretch")


MAP_LEVELS = {"federation": "COORACE régionaux", "region_2014": "Régions (2014)", "departement": "Départements"}
BY_LEVEL = {"federation": "par COORACE régional", "region_2014": "par région (2014)",
            "departement": "par département"}
SUBLEVEL = {"france": "federation", "federation": "region_2014", "region_2014": "departement",
            "departement": "departement"}


def map_level_picker(ctx: Context, key: str) -> str:
    """Switch between federation, 2014 région and département maps (default: one level below)."""
    levels = list(MAP_LEVELS)
    default = SUBLEVEL[ctx.level] if ctx.level != "departement" else "departement"
    return st.segmented_control(
        "Échelon de la carte", levels, default=default, format_func=MAP_LEVELS.get, key=key,
    ) or default


def scope(ctx: Context) -> str:
    """The territorial scope printed under a chart."""
    return "France entière" if ctx.is_national else ctx.territory_name


def demo_note(demo_rows: int, what: str = "la répartition territoriale des adhérents") -> None:
    """Badge plus a sentence, shown wherever demonstration rows feed what the page shows."""
    if demo_rows > 0:
        demo_badge()
        st.caption(
            f"{what.capitalize()} s'appuie sur un registre de démonstration ({demo_rows} lignes fictives, "
            "graine fixe) : le registre réel des adhérents n'est pas public. Les totaux publiés "
            "(523 adhérents, répartition par type, 41 adhérents en Midi-Pyrénées dont 18 certifiés, "
            "120 certifiés) sont respectés ; la répartition entre territoires est illustrative."
        )


def download_buttons(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX downloads of a table (formula injection neutralised)."""
    # A horizontal container sizes the buttons to their labels, even in a narrow column.
    with st.container(horizontal=True):
        # Files are generated when clicked (deferred), not on every rerun.
        st.download_button("CSV", partial(export.to_csv, df), file_name=f"{name}.csv", mime="text/csv",
                           key=f"csv_{key}", icon=":material/download:", on_click="ignore")
        st.download_button("XLSX", partial(export.to_xlsx, df), file_name=f"{name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"xlsx_{key}", icon=":material/download:", on_click="ignore")


def kpi_value(label: str, df: pd.DataFrame, ctx: Context) -> None:
    """One published figure as a tile, with year and source; says so when it is national only (label: plain text)."""
    if df.empty:
        st.info(f"{fmt.plain(label)} : aucun chiffre publié jusqu'en {ctx.year}.")
        return
    row = tables.records(df.head(1))[0]
    with st.container(border=True):
        st.metric(fmt.plain(label), fmt.with_unit(row.value, row.unit), help=fmt.plain(row.source))
        national = "" if ctx.is_national else " · chiffre national"
        st.caption(f"{int(row.year)} · Source : {fmt.plain(row.source_short)}{national}")


_slides = memo.LruCache(max_entries=32)


def deck_slides(ctx: Context) -> list:
    """Every slide available for the selected territory and year (observatoire.slides), cached; read-only."""
    from observatoire import slides

    key = (ctx.territory, ctx.year, *_db_version())
    return list(_slides.get(key, lambda: slides.build_slides(connection(), ctx.territory, ctx.year)))


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def export_buttons(slide_ids: list[str], ctx: Context, key: str = "page", name: str = "", cover: bool = True) -> None:
    """PowerPoint (native, editable charts) and PDF of the given slides, built on demand with a progress bar.

    slide_ids name slides of observatoire.slides; ids the territory does not have are skipped;
    cover puts the title slide (territory, year) first. The built files stay in the session
    until the territory, year or slides change.
    """
    from observatoire import deck, slides

    ids = (["titre"] if cover and "titre" not in slide_ids else []) + list(slide_ids)
    chosen = slides.select(deck_slides(ctx), ids)
    if not chosen:
        return
    path = db_path()
    signature = (ctx.territory, ctx.year, tuple(s.id for s in chosen), path.stat().st_mtime if path.is_file() else 0)
    stem = f"observatoire-coorace-{_slug(name) + '-' if name else ''}{_slug(ctx.territory_name)}-{ctx.year}"
    with st.container(border=True, key=f"export_{key}"):
        st.markdown("#### Exporter en PowerPoint et en PDF")
        st.caption(f"{len(chosen)} diapositive(s) — graphiques modifiables dans PowerPoint, cartes en images ; "
                   "chaque diapositive porte le territoire, l'année et les sources (détail dans les notes).")
        missing = deck.missing_image_engine()
        if missing:
            st.info(missing, icon=":material/info:")
            return
        if st.button("Préparer le PowerPoint et le PDF", icon=":material/slideshow:", key=f"export_build_{key}"):
            bar = st.progress(0.0, text="Préparation de la présentation…")
            files = deck.export(chosen, progress=lambda done, text: bar.progress(min(max(done, 0.0), 1.0), text=text))
            bar.empty()
            st.session_state[f"export_files_{key}"] = (signature, files)
        stored = st.session_state.get(f"export_files_{key}")
        if stored and stored[0] == signature:
            files = stored[1]
            with st.container(horizontal=True):
                st.download_button("PowerPoint (.pptx)", files["pptx"], file_name=f"{stem}.pptx", mime=PPTX_MIME,
                                   key=f"export_pptx_{key}", icon=":material/download:", type="primary",
                                   on_click="ignore")
                st.download_button("PDF", files["pdf"], file_name=f"{stem}.pdf", mime="application/pdf",
                                   key=f"export_pdf_{key}", icon=":material/download:", on_click="ignore")


def members_by_type_block(ctx: Context, key: str, territory: str | None = None) -> pd.DataFrame:
    """The members-by-structure-type bar chart of a territory, with its source; returns its data.

    Nationally, for a year whose split is published, the register reproduces the published
    split (checked at build time), so the chart cites the report; elsewhere it cites the
    register, flagged when demonstration rows feed it.
    """
    territory = territory or ctx.territory
    by_type = query("members_by_type", territory=territory, year=ctx.year)
    published = query("published_series", theme="network_members", indicator="members_by_type",
                      territory=territory, year=ctx.year)
    if territory == "FR" and not published.empty and int(published.year.max()) == ctx.year:
        source = published.source_short.iloc[0]
    else:
        source = "registre des adhérents" + (" (démonstration)" if by_type.demo_members.sum() else "")
    scope_name = "France entière" if territory == "FR" else ctx.territory_name
    chart_block(
        f"Adhérents par type de structure — {scope_name}, {ctx.year}",
        figure(charts.bar, by_type, "short_label", "members", colour_col="structure_type"),
        by_type[["type_label", "members"]].rename(columns={"type_label": "Type", "members": "Adhérents"}),
        source=source, scope=scope_name, key=key,
    )
    return by_type
