"""Innovation: the report's projects on a map and as cards, by axis and territory, with a detail view."""

import streamlit as st

from observatoire import fmt, maps, point_map, tables, ui

ctx = ui.page("Innovation")

axes = ui.query("innovation_axes_list")
with st.expander("Les trois axes d'innovation du réseau (rapport d'activité 2014)", expanded=False):
    for axis in tables.records(axes):
        st.markdown(f"**Axe {axis.axis_id} — {fmt.plain(axis.short_label)}.** {fmt.plain(axis.title)}")
        st.caption(fmt.plain(axis.description))

# segmented_control reads its option labels as Markdown
labels = {0: "Tous les axes", **dict(zip(axes.axis_id, map(fmt.plain, axes.short_label)))}
axis = st.segmented_control("Axe d'innovation", list(labels), default=0, format_func=labels.get,
                            key="innovation_axis")
projects = ui.query("innovation_projects", territory=ctx.territory, axis=int(axis or 0))
st.caption(
    f"{len(projects)} projet(s) — {fmt.plain(ui.scope(ctx))}. Le rapport ne dit pas quel axe chaque projet illustre : "
    "le classement par axe est éditorial."
)

located = projects[projects.lon.notna()]
if located.empty:
    st.info("Aucun projet localisé sur ce territoire.")
else:
    ui.chart_block(
        "Les projets d'innovation présentés dans le rapport d'activité 2014",
        ui.figure(point_map.points_map, located.assign(precision=located.location_precision.map(
            {"commune": "commune", "departement": "département (approximatif)", "region": "région (approximatif)"})),
            "lon", "lat", "<b>{name}</b><br/>{place}<br/>Axe : {axis}<br/>Localisation : {precision}",
            colour_col="axis", dep_col="dep_code", radius_px=9, height=480),
        projects[["name", "carrier", "place", "axis"]].rename(
            columns={"name": "Projet", "carrier": "Porteur", "place": "Lieu", "axis": "Axe"}),
        source=f"Rapport d'activité 2014 · {maps.GEO_CREDIT}", scope=ui.scope(ctx), key="projects_map",
    )

cols = st.columns(2)
for i, project in enumerate(tables.records(projects)):
    with cols[i % 2].container(border=True):
        ui.heading(project.name)
        st.caption(f":material/location_on: {fmt.plain(project.place)} · Axe : {fmt.plain(project.axis)}")
        st.text(fmt.as_text(project.summary), width="stretch")
        results = ui.query("project_results", project=project.project_id)
        if not results.empty:
            st.dataframe(ui.derived(tables.figures_table, results.assign(category_label="", source_short="")).drop(
                columns=["Source"]), hide_index=True, width="stretch")
        with st.popover("Détail et source", icon=":material/info:"):
            st.markdown(f"**{fmt.plain(project.name)}** — porté par {fmt.plain(project.carrier) or 'non précisé'}")
            st.text(fmt.as_text(project.summary), width="stretch")
            st.caption(f"Source : {fmt.plain(project.source)}")
            if not results.empty:
                for r in tables.records(results):
                    st.caption(f"• {fmt.plain(r.label)} : {fmt.plain(r.source)}")

ui.export_buttons([f"projet-{p}" for p in projects.project_id], ctx, key="innovation", name="innovation")
