"""Presentation mode (Streamlit side): choosing the slides, then one slide at a time, full screen.

The slides themselves come from observatoire.slides (the pages' blocks with a footer and notes)
and their figures from charts.block_figure, as on the pages; this module only draws them in the
browser and keeps the presenter's choices in st.session_state for the session:
- the choice and order of slides, per territory and year;
- whether full-screen mode is on, and the current slide.
Keys (arrows, Page Up/Down, space, Home/End, Escape) come from a small st.components.v2
component that listens on the page and sends a trigger value; it loads nothing from the web.
"""

from __future__ import annotations

import streamlit as st

from observatoire import charts, fmt, maps, ui
from observatoire import slides as specs
from observatoire.paths import ASSETS_DIR
from observatoire.render.figures import legend_aside
from observatoire.render.table import slide_table, table_html

SELECTION = "presentation_selection"  # {(territory, year): [slide ids]}
FULL_SCREEN = "presentation_full_screen"
INDEX = "presentation_index"
KEYS = "presentation_keys"
DEFAULT_VIEWPORT = (1920, 1080)
TEXT_MIN = 18  # px: no text of a slide smaller, even at 1280x720

_KEYS_JS = """
export default function (component) {
    const { setTriggerValue, setStateValue, data } = component;
    const actions = {
        ArrowRight: "next", ArrowDown: "next", PageDown: "next", " ": "next", Enter: "next",
        ArrowLeft: "prev", ArrowUp: "prev", PageUp: "prev", Backspace: "prev",
        Home: "first", End: "last", Escape: "exit",
    };
    const onKey = (event) => {
        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
        const target = event.target || {};
        const tag = (target.tagName || "").toLowerCase();
        if (["input", "textarea", "select"].includes(tag) || target.isContentEditable) return;
        // Space and Enter on a focused button already press that button.
        if (tag === "button" && (event.key === " " || event.key === "Enter")) return;
        if (event.key === "f" || event.key === "F") {
            if (document.fullscreenElement) document.exitFullscreen();
            else document.documentElement.requestFullscreen().catch(() => {});
            event.preventDefault();
            return;
        }
        let action = actions[event.key];
        if (!action) return;
        if (event.key === " " && event.shiftKey) action = "prev";
        event.preventDefault();
        setTriggerValue("nav", action);
    };
    const report = () => {
        const width = window.innerWidth, height = window.innerHeight;
        if (!data || data.width !== width || data.height !== height) setStateValue("viewport", { width, height });
    };
    let timer = null;
    const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
    document.addEventListener("keydown", onKey);
    window.addEventListener("resize", onResize);
    report();
    return () => {
        document.removeEventListener("keydown", onKey);
        window.removeEventListener("resize", onResize);
        clearTimeout(timer);
    };
}
"""

_keys_component = st.components.v2.component("observatoire_presentation_keys", js=_KEYS_JS)


# --------------------------------------------------------------------------- state


def _selection_key(ctx: ui.Context) -> tuple[str, int]:
    return ctx.territory, ctx.year


def chosen_ids(ctx: ui.Context, available: list[specs.Slide]) -> list[str]:
    """The presenter's slides for this territory and year, in order (the default deck at first)."""
    stored = st.session_state.get(SELECTION, {}).get(_selection_key(ctx))
    known = {s.id for s in available}
    if stored is None:
        return specs.default_selection(available)
    return [i for i in stored if i in known]


def chosen(ctx: ui.Context, available: list[specs.Slide]) -> list[specs.Slide]:
    """The presenter's slides, in order."""
    return specs.select(available, chosen_ids(ctx, available))


def _store(ctx: ui.Context, ids: list[str]) -> None:
    st.session_state.setdefault(SELECTION, {})[_selection_key(ctx)] = list(ids)


def _picker_key(ctx: ui.Context) -> str:
    return f"presentation_pick_{ctx.territory}_{ctx.year}"


def _on_pick(ctx: ui.Context) -> None:
    _store(ctx, st.session_state[_picker_key(ctx)])


def _move(ctx: ui.Context, available: list[specs.Slide], step: int) -> None:
    ids = chosen_ids(ctx, available)
    moving = st.session_state.get("presentation_move")
    if moving in ids:
        i = ids.index(moving)
        j = min(max(i + step, 0), len(ids) - 1)
        ids[i], ids[j] = ids[j], ids[i]
        _store(ctx, ids)
        st.session_state[_picker_key(ctx)] = ids


def _reset(ctx: ui.Context, available: list[specs.Slide]) -> None:
    ids = specs.default_selection(available)
    _store(ctx, ids)
    st.session_state[_picker_key(ctx)] = ids


def _start(index: int = 0) -> None:
    st.session_state[FULL_SCREEN] = True
    st.session_state[INDEX] = index


def _leave() -> None:
    st.session_state[FULL_SCREEN] = False


def _go(step: int, total: int) -> None:
    st.session_state[INDEX] = min(max(st.session_state.get(INDEX, 0) + step, 0), total - 1)


def _on_key(total: int) -> None:
    action = (st.session_state.get(KEYS) or {}).get("nav")
    if action == "exit":
        _leave()
    elif action in ("next", "prev"):
        _go(1 if action == "next" else -1, total)
    elif action == "first":
        st.session_state[INDEX] = 0
    elif action == "last":
        st.session_state[INDEX] = total - 1


def is_full_screen() -> bool:
    return bool(st.session_state.get(FULL_SCREEN))


# --------------------------------------------------------------------------- settings view


def settings(ctx: ui.Context, available: list[specs.Slide]) -> list[specs.Slide]:
    """Choose, order and export the slides; returns the chosen slides."""
    titles = {s.id: s.title for s in available}
    ids = chosen_ids(ctx, available)
    key = _picker_key(ctx)
    if key not in st.session_state:
        st.session_state[key] = ids
    st.caption(
        f"Diapositives construites pour « {fmt.plain(ctx.territory_name)} », données {ctx.year} (changez le "
        "territoire ou l'année dans le panneau latéral). Votre choix est gardé pendant la session."
    )
    st.multiselect(
        "Diapositives, dans l'ordre de passage", [s.id for s in available], key=key,
        format_func=titles.get, on_change=_on_pick, args=(ctx,),
        help="Retirez une diapositive avec sa croix ; une diapositive ajoutée se place à la fin.",
    )
    ids = chosen_ids(ctx, available)
    with st.container(horizontal=True, vertical_alignment="bottom", key="presentation_order"):
        st.selectbox("Déplacer la diapositive", ids, format_func=titles.get, key="presentation_move",
                     width=520)
        st.button("Monter", icon=":material/arrow_upward:", on_click=_move, args=(ctx, available, -1),
                  disabled=len(ids) < 2, key="presentation_move_up")
        st.button("Descendre", icon=":material/arrow_downward:", on_click=_move, args=(ctx, available, 1),
                  disabled=len(ids) < 2, key="presentation_move_down")
        st.button("Ordre par défaut", icon=":material/restart_alt:", on_click=_reset, args=(ctx, available),
                  key="presentation_reset")
    picked = specs.select(available, ids)
    if not picked:
        st.warning("Aucune diapositive choisie : ajoutez-en au moins une.")
        return picked
    with st.container(border=True):
        st.markdown("#### Déroulé")
        st.markdown("\n".join(f"{i}. {fmt.plain(s.title)}" + (" *(données de démonstration)*" if s.demo else "")
                              for i, s in enumerate(picked, start=1)))
    st.button("Lancer la présentation", type="primary", icon=":material/slideshow:", on_click=_start,
              key="presentation_start")
    st.caption("Pendant la présentation : flèches, Page précédente / suivante ou espace pour changer de diapositive, "
               "Début / Fin pour la première / la dernière, F pour le plein écran du navigateur, Échap pour sortir.")
    return picked


# --------------------------------------------------------------------------- full-screen view


def _inject_css() -> None:
    css = (ASSETS_DIR / "presentation.css").read_text(encoding="utf-8")
    st.html(f"<style>{css}</style>")


def _viewport(total: int) -> tuple[int, int]:
    known = (st.session_state.get(KEYS) or {}).get("viewport") or {}
    data = {"width": known.get("width"), "height": known.get("height")} if known else None
    _keys_component(key=KEYS, data=data, on_nav_change=lambda: _on_key(total), on_viewport_change=lambda: None)
    if known.get("width") and known.get("height"):
        return int(known["width"]), int(known["height"])
    return DEFAULT_VIEWPORT


def _e(text) -> str:
    """Slide text (names, sources from the database) made literal inside the slide's HTML."""
    return fmt.html_text(text)


def _head(slide: specs.Slide) -> None:
    sub = f'<p class="pres-subtitle">{_e(slide.subtitle)}</p>' if slide.subtitle else ""
    st.html(f'<div class="pres pres-head"><div class="pres-rule"></div>'
            f'<h2 class="pres-title">{_e(slide.title)}</h2>{sub}</div>')


def _kpis(slide: specs.Slide) -> None:
    tiles = "".join(
        f'<div class="pres-tile"><div class="value">{_e(fmt.with_unit(r.value, r.unit))}</div>'
        f'<div class="label">{_e(r.label)}</div><div class="caption">{_e(r.caption)}</div></div>'
        for r in slide.data.itertuples())
    st.html(f'<div class="pres pres-kpis">{tiles}</div>')


def readable(fig, floor: float):
    """Every text of a slide's figure (inset names, legend) at floor pixels at least; no map credit in it."""
    for trace in fig.data:
        if "text" in (getattr(trace, "mode", None) or "") and (trace.textfont.size or 0) < floor:
            trace.textfont.size = floor
    # the map credit is printed under the slide, at the caption's size; footnotes stay, readable
    fig.update_layout(annotations=[a for a in fig.layout.annotations if a.text != maps.GEO_CREDIT])
    fig.update_annotations(font_size=floor)
    if (fig.layout.legend.font.size or floor) < floor:
        fig.update_layout(legend_font_size=floor)
    return fig


def _figure(chart, data, key: str, width: int, height: int, font: float, inset_names: bool = True) -> None:
    fig = readable(charts.block_figure(chart, data, height, font, width=width), max(font, TEXT_MIN))
    if not inset_names:  # a locator map: the overseas frames stay, their names would crowd it
        fig.update_traces(visible=False, selector={"mode": "text"})
    if chart.kind == "points":
        legend_aside(fig, max(font, TEXT_MIN))
    fig.update_layout(width=None)
    st.plotly_chart(fig, key=f"presentation_chart_{key}", theme=None,
                    config={"displayModeBar": False, "scrollZoom": False, "topojsonURL": maps.TOPOJSON_URL})


def _chart(slide: specs.Slide, width: int, height: int, font: float) -> None:
    _figure(slide.chart, slide.data, slide.id, width, height, font)


def _places(slide: specs.Slide) -> None:
    """The names beside a point map of a few places (a slide has no tooltip)."""
    rows = specs.places(slide)
    items = "".join(f"<li><span><b>{_e(name)}</b><br>{_e(place)}</span></li>" for name, place in rows)
    st.html(f'<div class="pres pres-ranking pres-places"><ol>{items}</ol></div>')


def _table(slide: specs.Slide) -> None:
    st.html(f'<div class="pres pres-table-wrap">{table_html(slide_table(slide.data))}</div>')


def _facts(lines) -> None:
    st.html('<div class="pres pres-facts">' + "".join(f"<p>{_e(b)}</p>" for b in lines) + "</div>")


def _ranking(slide: specs.Slide) -> None:
    items = "".join(f"<li><b>{_e(fmt.number(r.value))}</b><span>{_e(r.label)}</span></li>"
                    for r in slide.side.itertuples())
    st.html(f'<div class="pres pres-ranking"><h3>{_e(slide.side_title)}</h3><ol>{items}</ol></div>')


def _results(slide: specs.Slide, row: bool = False) -> str:
    tiles = "".join(
        f'<div class="pres-tile"><div class="value">{_e(fmt.with_unit(r.value, r.unit))}</div>'
        f'<div class="label">{_e(r.label)}</div></div>' for r in slide.data.itertuples())
    columns = "row" if row else ("one" if len(slide.data) <= 2 else "")
    style = f' style="grid-template-columns: repeat({len(slide.data)}, 1fr)"' if row else ""
    return f'<div class="pres pres-results {columns}"{style}>{tiles}</div>'


def _project(slide: specs.Slide, width: int, height: int, font: float) -> None:
    """Summary and result figures on the left; the project's place on a small map of France on the right.

    With many results, they take a row of their own under the summary and the map."""
    results = 0 if slide.data is None else len(slide.data)
    summary = '<div class="pres pres-summary">' + "".join(f"<p>{_e(b)}</p>" for b in slide.body) + "</div>"
    left, right = st.columns([3, 2], gap="large")
    if slide.locator is None:
        left.html(summary)
        if results:
            right.html(_results(slide))
        return
    below = results > 4
    with left:
        st.html(summary)
        if results and not below:
            st.html(_results(slide))
    with right:
        _figure(specs.LOCATOR, slide.locator, slide.id, int(width * 2 / 5), int(height * (0.5 if below else 1)),
                font, inset_names=False)
        st.html(f'<p class="pres pres-place">{_e(slide.locator.place.iloc[0])}</p>')
    if below:
        st.html(_results(slide, row=True))


def _bottom(slide: specs.Slide, index: int, total: int) -> None:
    badge = '<span class="pres-badge">données de démonstration</span>' if slide.demo else ""
    text = " · ".join(x for x in (slide.caption, slide.credit if slide.chart is not None else "") if x)
    caption = f'<span class="pres-caption">{_e(text)}</span>' if text else "<span></span>"
    bottom = f'<div class="pres pres-bottom">{caption}{badge}</div>' if (text or slide.demo) else ""
    st.html(f'{bottom}<div class="pres pres-footer"><span>{_e(slide.footer)}</span>'
            f'<span>{index + 1} / {total}</span></div>')


def show(slides: list[specs.Slide]) -> None:
    """The current slide, full screen, with previous / next / leave buttons and keyboard navigation."""
    _inject_css()
    total = len(slides)
    width, height = _viewport(total)
    index = min(max(st.session_state.get(INDEX, 0), 0), total - 1)
    slide = slides[index]
    pad = min(max(width * 0.032, 20), 64)
    content_w = width - 2 * pad
    font = min(max(width * 0.0155, TEXT_MIN), 32)  # chart text, in step with the CSS sizes (1.55vw)
    # room for a footer of two lines at 18 px, a subtitle, a title of two lines (about 55 characters a line)
    chart_h = int(height * (0.6 - 0.06 * bool(slide.subtitle) - 0.06 * (len(slide.title) > 55)))
    with st.container(key="presentation_slide"):
        if slide.kind == "title":
            cover = "".join(f'<p class="pres-note">{_e(b)}</p>' for b in slide.body)
            st.html(f'<div class="pres pres-cover"><h2 class="pres-title">{_e(slide.title)}</h2>'
                    f'<p class="pres-subtitle">{_e(slide.subtitle)}</p>{cover}</div>')
        else:
            _head(slide)
            if slide.kind == "kpis":
                _kpis(slide)
            elif slide.kind == "map" and slide.side is not None and len(slide.side):
                left, right = st.columns([5, 2], gap="large")
                with left:
                    _chart(slide, int(content_w * 5 / 7), chart_h, font)
                with right:
                    _ranking(slide)
            elif slide.kind == "project":
                _project(slide, int(content_w), int(chart_h * 0.85), font)
            elif slide.kind == "map" and specs.places(slide):
                left, right = st.columns([5, 2], gap="large")
                with left:
                    _chart(slide, int(content_w * 5 / 7), chart_h, font)
                with right:
                    _places(slide)
            elif slide.kind == "table" and slide.body and len(slide.data):
                left, right = st.columns([3, 1], gap="large")
                with left:
                    _table(slide)
                with right:
                    _facts(slide.body)
            elif slide.kind == "table" and len(slide.data):
                _table(slide)
            elif slide.chart is not None and slide.body:
                left, right = st.columns([3, 2], gap="large", vertical_alignment="center")
                with left:
                    _chart(slide, int(content_w * 3 / 5), chart_h, font)
                with right:
                    _facts(slide.body)
            elif slide.chart is not None:
                _chart(slide, int(content_w), chart_h, font)
            else:
                _facts(slide.body)
        _bottom(slide, index, total)
    with st.container(horizontal=True, vertical_alignment="center", key="presentation_nav"):
        st.button("Précédent", icon=":material/chevron_left:", key="presentation_prev", on_click=_go,
                  args=(-1, total), disabled=index == 0)
        st.button("Suivant", icon=":material/chevron_right:", key="presentation_next", on_click=_go,
                  args=(1, total), disabled=index == total - 1)
        st.markdown(f"Diapositive {index + 1} sur {total}")
        st.space("stretch")
        st.button("Quitter (Échap)", icon=":material/close_fullscreen:", key="presentation_exit", on_click=_leave)
