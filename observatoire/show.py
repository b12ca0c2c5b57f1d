"""The Streamlit renderer of blocks: any observatoire.blocks Block drawn on a page, and the page's exports.

A page is a list of blocks and their layout: `show.block(ui.block(blocks.funding_mix, ctx), ctx, key=...)`
draws the title, the chart or map, the source and scope caption, the « national only » notice, the
demonstration badge, the table toggle and the download. Everything shown as text goes through fmt.plain.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from observatoire import blocks, charts, export, fmt, maps, memo, tables, ui
from observatoire.block import Block, unique
from observatoire.paths import db_path

MAP_LEVELS = {"federation": "COORACE régionaux", "region_2014": "Régions (2014)", "departement": "Départements"}
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PLOTLY_CONFIG = {"displayModeBar": False, "topojsonURL": maps.TOPOJSON_URL}


def caption(b: Block, selects_territory: bool = False) -> str:
    """« Source : … · Périmètre : … » under a block (plain text: sources and names come from the database)."""
    sources = " ; ".join(b.sources) + (f" · {b.credit}" if b.credit else "")
    scope = b.scope + (" — cliquez un territoire pour le sélectionner" if selects_territory else "")
    years = f" · {fmt.plain(b.years_note[:1].upper() + b.years_note[1:])}" if b.years_note else ""
    return f"Source : {fmt.plain(sources)} · Périmètre : {fmt.plain(scope)}{years}"


_by_block = memo.LruCache(max_entries=256)  # a cached block's figure and French table, by the block itself


def _figure(b: Block, height: int | None):
    """The block's figure, found by the block object itself: blocks are cached, shared and never modified
    (ui.block), so a rerun need not fingerprint their data again (pickle and hash: ≈ 5 % of a page run). The
    entry holds the block, so that its id is not reused while the entry lives."""
    return _by_block.get((id(b), height), lambda: (b, ui.figure(charts.block_figure, b.chart, b.data, height)))[1]


def _chart(b: Block, key: str, selects_territory: bool, height: int | None) -> None:
    fig = _figure(b, height)
    if not selects_territory:
        st.plotly_chart(fig, key=f"chart_{key}", config=PLOTLY_CONFIG)
        return
    event = st.plotly_chart(fig, key=f"chart_{key}", on_select="rerun", selection_mode="points", config=PLOTLY_CONFIG)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        picked = points[0].get("customdata") or points[0].get("location")
        if isinstance(picked, list):
            picked = picked[0]
        if picked:
            ui.select_territory(str(picked), chart_key=f"chart_{key}")


def _card(b: Block, key: str) -> None:
    """A project: title, place and axis, summary, result figures, and the sources in a popover."""
    ui.heading(b.title)
    st.caption(f":material/location_on: {fmt.plain(b.subtitle)}")
    for line in b.body:
        st.text(fmt.as_text(line), width="stretch")
    if b.table is not None and len(b.table):
        table(b.table, owner=b)
    with st.popover("Détail et source", icon=":material/info:", key=f"detail_{key}"):
        for source in b.sources_full:
            st.caption(f"Source : {fmt.plain(source)}")


def _tiles(b: Block, columns: int = 3) -> None:
    """A kpis block as tiles: label, value in French format, year (the source in the tooltip and under the block)."""
    rows = b.data.to_dict("records") if b.data is not None else []
    for start in range(0, len(rows), columns):
        for col, row in zip(st.columns(columns), rows[start:start + columns]):
            with col.container(border=True):
                st.metric(fmt.plain(row["label"]), fmt.with_unit(row["value"], row["unit"]),
                          help=fmt.plain(row["source"]), **_evolution(row))
                st.caption(fmt.plain(row["caption"]))


def _evolution(row: dict) -> dict:
    """A tile's change since the year before (neutral grey: a change is not good or bad in itself) and its trend
    line, when the figure exists for two years or more."""
    trend = row.get("trend") or ()
    if len(trend) < 2:
        return {}
    arrow = "up" if trend[-1] > trend[-2] else ("down" if trend[-1] < trend[-2] else "off")
    return {"delta": fmt.plain(row["delta"]), "delta_color": "off", "delta_arrow": arrow,
            "chart_data": list(trend), "chart_type": "line"}


def block(b: Block | None, ctx: ui.Context, key: str, selects_territory: bool = False,
          height: int | None = None, container=None) -> Block | None:
    """Draw a block in a bordered container: title, notices, chart (or table, or facts), caption, table, download."""
    if b is None:
        return None
    if b.kind == "project":
        with (container or st).container(border=True):
            _card(b, key)
        return b
    with (container or st).container(border=True):
        ui.heading(b.title)
        if b.subtitle:
            st.caption(fmt.plain(b.subtitle))
        if b.national_only:
            st.caption(f":material/info: {fmt.plain(b.national_only)}")
        if b.demo:
            ui.demo_badge()
        if b.kind == "table" and not (b.body and (b.data is None or b.data.empty)):  # an empty one: its own words
            table(b.data, owner=b)
        elif b.kind == "kpis":
            _tiles(b)
        elif b.chart is not None:
            _chart(b, key, selects_territory, height)
        for line in b.body:
            st.markdown(fmt.plain(line))
        st.caption(caption(b, selects_territory))
        if b.kind == "table":
            if b.data is not None and not b.data.empty:
                download_buttons(b.data, b.download, key=key)
            return b
        with st.container(horizontal=True, vertical_alignment="center"):
            # The table is sent only when asked for: a data grid per chart weighs on every rerun.
            show_table = st.toggle("Tableau des données", key=f"table_{key}",
                                   help="Les chiffres du graphique sous forme de tableau")
            st.download_button("Télécharger (CSV)", partial(export.table_csv, b.shown_table()),
                               file_name=f"{b.download}.csv", mime="text/csv", key=f"dl_{key}",
                               icon=":material/download:", on_click="ignore")
        if show_table:
            table(b.shown_table(), owner=b)
    return b


def section(title: str) -> tuple[str, DeltaGenerator]:
    """Draw the sections of the page `title` as tabs and return the open one's label and container.

    Only the open section runs and is sent to the browser: a page of every section drew in 3 to 6 times the empty
    page. The open tab is kept in the URL (?onglet=…, left out for the first one), so that a link or a bookmark
    opens it; an unknown value opens the first section with a notice. The tab state has one key per page: under a
    shared key, Streamlit would check the URL of one page against the tabs of the page before.
    """
    page = next(p for p in ui.PAGES if p.label == title)
    labels, key = list(page.sections), f"_section_{page.url_path}"
    asked = (st.query_params.get(ui.SECTION_PARAM) or "").strip()
    if key not in st.session_state:  # first run of this page: open the section the URL names (any case)
        found = next((label for label in labels if label.casefold() == asked.casefold()), None)
        st.session_state[key] = found or labels[0]
        if asked and found is None:
            st.warning(f"L'onglet « {fmt.plain(asked[:80])} » n'existe pas sur cette page : elle s'ouvre sur "
                       f"« {labels[0]} ».", icon=":material/tab:")
    tabs = st.tabs(labels, key=key, on_change="rerun")
    label, tab = next(((label, tab) for label, tab in zip(labels, tabs) if tab.open), (labels[0], tabs[0]))
    if label == labels[0]:
        st.query_params.pop(ui.SECTION_PARAM, None)
    else:
        st.query_params[ui.SECTION_PARAM] = label
    return label, tab


def table(df: pd.DataFrame | None, empty: str = "Aucune ligne à afficher.", owner: Block | None = None,
          **kwargs) -> None:
    """A table in its French form (tables.shown: French headers and numbers, « — » for an empty cell).

    An empty table is a caption, not an empty grid (Streamlit writes « empty » in it). owner: the cached block
    the table belongs to, which finds its French form without fingerprinting it (as _figure). kwargs go to
    st.dataframe.
    """
    if df is None or df.empty:
        st.caption(empty)
        return
    if owner is None:
        shown = ui.derived(tables.shown, df)
    else:
        shown = _by_block.get((id(owner), id(df)), lambda: (owner, ui.derived(tables.shown, df)))[1]
    st.dataframe(shown, hide_index=True, width="stretch", **kwargs)


def projects(projects: list[Block], ctx: ui.Context) -> None:
    """Project cards, two a row: for a territory its own projects first, then the national ones under their own
    title (a national project concerns the whole network, not this territory only)."""
    own = [p for p in projects if p.scope != "France entière"]
    national = [p for p in projects if p.scope == "France entière"]
    groups = [("", projects)] if ctx.is_national else [
        (f"Les projets de « {fmt.plain(ctx.territory_name)} »", own), ("Les projets nationaux, pour tout le réseau",
                                                                     national)]
    for title, group in groups:
        if title:
            st.subheader(title)
            if not group:
                st.caption("Aucun projet présenté pour ce territoire dans les documents.")
        cols = st.columns(2)
        for i, project in enumerate(group):
            block(project, ctx, key=project.id, container=cols[i % 2])


def map_level_picker(ctx: ui.Context, key: str) -> str:
    """Switch between federation, 2014 région and département maps (default: the blocks' level below)."""
    default = blocks.MAP_LEVEL[ctx.level]
    return st.segmented_control("Échelon de la carte", list(MAP_LEVELS), default=default,
                                format_func=MAP_LEVELS.get, key=key) or default


def measure_picker(key: str) -> str:
    """What the members map shows: the count, members per 100 000 inhabitants or the certified share."""
    from observatoire.measures import MEASURES

    labels = {k: m.label for k, m in MEASURES.items()}
    return st.segmented_control("Mesure", list(labels), default="members", format_func=labels.get, key=key,
                                help="Les taux rapportent les adhérents à la population municipale (INSEE) : "
                                     "ils ne favorisent pas les territoires les plus peuplés.") or "members"


def demo_note(ctx: ui.Context, demo_rows: int, what: str = "la répartition territoriale des adhérents") -> None:
    """Badge plus a sentence, shown wherever demonstration rows feed what the page shows (figures from the base)."""
    if demo_rows > 0:
        ui.demo_badge()
        respected = ui.cached(blocks.demo_sentence, ctx.year)
        st.caption(
            f"{what.capitalize()} s'appuie sur un registre de démonstration ({demo_rows} lignes fictives, "
            f"graine fixe) : le registre réel des adhérents n'est pas public. Les totaux publiés ({respected}) "
            "sont respectés ; la répartition entre territoires est illustrative."
        )


def sources_line(sources) -> str:
    """« Source : … » under rows read from the database, each document and section once (plain text)."""
    return f"Source : {fmt.plain(' ; '.join(unique(sources)))}"


def download_buttons(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX downloads of a table under French headers (formula injection neutralised)."""
    # A horizontal container sizes the buttons to their labels, even in a narrow column.
    with st.container(horizontal=True):
        # Files are generated when clicked (deferred), not on every rerun.
        st.download_button("CSV", partial(export.table_csv, df), file_name=f"{name}.csv", mime="text/csv",
                           key=f"csv_{key}", icon=":material/download:", on_click="ignore")
        st.download_button("XLSX", partial(export.table_xlsx, df), file_name=f"{name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"xlsx_{key}", icon=":material/download:", on_click="ignore")


def kpi_value(label: str, theme: str, indicator: str, ctx: ui.Context) -> None:
    """One published national figure as a tile, with its year and source, and its change since the year before
    when it is published for both; says so when it is national only (label: plain text)."""
    from observatoire import years

    df = ui.query("published_series", theme=theme, indicator=indicator, territory="FR", year=ctx.year)
    if df.empty:
        st.info(f"{fmt.plain(label)} : aucun chiffre publié jusqu'en {ctx.year}.")
        return
    row = df.iloc[0]
    earlier = ui.query("published_series", theme=theme, indicator=indicator, territory="FR", year=int(row.year) - 1)
    change = {}
    if len(earlier):
        before = earlier.iloc[0]
        delta = f"{years.change(row.value, before.value, row.unit)} depuis {int(before.year)}"
        change = _evolution({"delta": delta, "trend": (float(before.value), float(row.value))})
    with st.container(border=True):
        st.metric(fmt.plain(label), fmt.with_unit(row.value, row.unit), help=fmt.plain(row.source), **change)
        national = "" if ctx.is_national else " · chiffre national"
        st.caption(f"{int(row.year)} · Source : {fmt.plain(row.source_short)}{national}")


def export_buttons(shown: list[Block | None], ctx: ui.Context, key: str = "page", name: str = "",
                   cover: bool = True, national: list[Block | None] = (), section: str = "") -> None:
    """PowerPoint (native, editable charts) and PDF of the blocks a page shows, as shown (measure, map level,
    search), built on demand with a progress bar.

    cover puts the title slide (territory, year) first; national: the blocks among shown drawn for France entière
    on a territory's page (their footer says so). The built files stay in the session until the territory, year
    or any shown block changes. section: the open tab of a page in sections (section()), whose blocks only are
    drawn, hence exported; it is named in the caption and the file names.
    """
    from observatoire import deck

    chosen = export_slides(shown, ctx, cover, national)
    if not chosen:
        return
    name = f"{name}-{section}" if section else name
    stem = f"observatoire-coorace-{ui.slug(name) + '-' if name else ''}{ui.slug(ctx.territory_name)}-{ctx.year}"
    where = f"dans l'onglet « {section} »" if section else "sur la page"
    with st.container(border=True, key=f"export_{key}"):
        st.markdown("#### Exporter en PowerPoint et en PDF")
        st.caption(f"{len(chosen)} diapositive(s), les graphiques tels qu'affichés {where} — graphiques "
                   "modifiables dans PowerPoint, cartes en images ; chaque diapositive porte le territoire, l'année "
                   "et les sources (détail dans les notes).")
        missing = deck.missing_image_engine()
        if missing:
            st.info(missing, icon=":material/info:")
            return
        if st.button("Préparer le PowerPoint et le PDF", icon=":material/slideshow:", key=f"export_build_{key}"):
            bar = st.progress(0.0, text="Préparation de la présentation…")
            files = deck.export(chosen, progress=lambda done, text: bar.progress(min(max(done, 0.0), 1.0), text=text))
            bar.empty()
            st.session_state[f"export_files_{key}"] = (export_signature(chosen, ctx), files)
        stored = st.session_state.get(f"export_files_{key}")
        # the signature (a digest of every slide's content) is computed only when files wait in the session
        if stored and stored[0] == export_signature(chosen, ctx):
            files = stored[1]
            with st.container(horizontal=True):
                st.download_button("PowerPoint (.pptx)", files["pptx"], file_name=f"{stem}.pptx", mime=PPTX_MIME,
                                   key=f"export_pptx_{key}", icon=":material/download:", type="primary",
                                   on_click="ignore")
                st.download_button("PDF", files["pdf"], file_name=f"{stem}.pdf", mime="application/pdf",
                                   key=f"export_pdf_{key}", icon=":material/download:", on_click="ignore")


def published_figures(ctx: ui.Context, themes: tuple[str, ...], key: str) -> list[Block]:
    """Every published figure of the page's themes, one table per theme, built only when asked for (a switch, so
    that reruns of the page do not compute and send tables nobody opened)."""
    from observatoire import network_blocks

    shown = []
    if st.toggle("Tous les chiffres publiés sur ces sujets", key=f"table_figures_{key}",
                 help="Chaque chiffre des documents sur les sujets de cette page, avec sa source"):
        for theme in themes:
            shown.append(block(ui.block(network_blocks.theme_figures, ctx, theme=theme), ctx, key=f"{key}_{theme}"))
    return shown


_slides_of = memo.LruCache(max_entries=256)  # a page's slides, by the cached blocks it drew


def export_slides(shown: list[Block | None], ctx: ui.Context, cover: bool = True,
                  national: list[Block | None] = ()) -> list:
    """The slides of the blocks a page drew, as drawn (slides.from_blocks), after the cover when asked for.

    Found by the blocks themselves, as _figure: every rerun counts the slides for the export's caption, and
    building them again took a tenth of a page run. The entry holds the blocks, so that their ids are not reused.
    """
    drawn = [b for b in shown if b is not None]
    if not drawn:
        return []
    key = (tuple(map(id, drawn)), tuple(map(id, national)), ctx.territory, ctx.year, cover)
    return list(_slides_of.get(key, lambda: (tuple(drawn), tuple(national),
                                             _build_slides(list(drawn), ctx, cover, national)))[2])


def _build_slides(drawn: list[Block], ctx: ui.Context, cover: bool, national) -> tuple:
    from observatoire import slides

    if cover and drawn[0].kind != "title":
        drawn.insert(0, ui.cached(slides.title, ctx.territory, ctx.year))
    names = ["France entière" if any(b is n for n in national) else ctx.territory_name for b in drawn]
    located = ui.cached(slides.project_places, ctx.territory, ctx.year) if any(b.kind == "project" for b in drawn) \
        else None
    return tuple(slides.from_blocks(drawn, names, ctx.year, located))


def export_signature(chosen: list, ctx: ui.Context) -> tuple:
    """What the built files depend on: territory, year, database version and every slide's content (a page
    option such as the map's measure or level changes a block, hence the signature)."""
    from observatoire import memo

    path = db_path()
    return (ctx.territory, ctx.year, path.stat().st_mtime if path.is_file() else 0,
            memo.fingerprint(export_signature, tuple(chosen), {}))


def in_shown_order(projects: list[Block], ctx: ui.Context) -> list[Block]:
    """Projects in the order show.projects draws them: for a territory its own first, then the national ones."""
    return projects if ctx.is_national else sorted(projects, key=lambda p: p.scope == "France entière")
