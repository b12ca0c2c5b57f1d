"""Innovation: the report's projects on a map and as cards, by axis and territory, with a detail view."""

import streamlit as st

from observatoire import blocks, fmt, show, tables, ui

ctx = ui.page("Innovation")

axes = ui.query("innovation_axes_list")
with st.expander("Les axes d'innovation du réseau", expanded=False):
    for axis in tables.records(axes):
        st.markdown(f"**Axe {axis.axis_id} — {fmt.plain(axis.short_label)}.** {fmt.plain(axis.title)}")
        st.caption(fmt.plain(axis.description))

# segmented_control reads its option labels as Markdown
labels = {0: "Tous les axes", **dict(zip(axes.axis_id, map(fmt.plain, axes.short_label)))}
axis = int(st.segmented_control("Axe d'innovation", list(labels), default=0, format_func=labels.get,
                                key="innovation_axis") or 0)
projects = ui.block(blocks.projects, ctx, axis=axis)
national = sum(p.scope == "France entière" for p in projects)
st.caption(
    (f"{len(projects)} projet(s)" if ctx.is_national else
     f"{len(projects) - national} projet(s) dans « {fmt.plain(ctx.territory_name)} » et {national} projet(s) "
     "national(aux)")
    + ". Le rapport ne dit pas quel axe chaque projet illustre : le classement par axe est éditorial."
)

located = ui.block(blocks.projects_map, ctx, axis=axis)
if located is None:
    st.info("Aucun projet localisé sur ce territoire.")
else:
    show.block(located, ctx, key="projects_map", height=480)

show.projects(projects, ctx)

figures = show.published_figures(ctx, ("research_innovation", "innovation_results"), key="innovation")

show.export_buttons([located, *show.in_shown_order(projects, ctx), *figures], ctx, key="innovation", name="innovation")
