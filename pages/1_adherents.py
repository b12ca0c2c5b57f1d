"""Adhérents: where the members are and of which type, the list of members, the regional federations' teams (three
sections, the open one kept in the URL)."""

import streamlit as st

from observatoire import blocks, content_blocks, show, ui

ctx = ui.page("Adhérents")

profile = ui.query("territory_profile", territory=ctx.territory, year=ctx.year).iloc[0]
show.demo_note(ctx, int(profile.demo_members))
section, tab = show.section("Adhérents")
shown = []
with tab:
    if section == "Carte et types":
        with st.container(horizontal=True):
            level = show.map_level_picker(ctx, key="members_map_level")
            measure = show.measure_picker(key="members_map_measure")
        shown.append(show.block(ui.block(blocks.members_map, ctx, level=level, measure=measure), ctx,
                                key="members_map", selects_territory=True))
        left, right = st.columns([1, 1])
        with left:
            shown.append(show.block(ui.block(blocks.members_by_type, ctx), ctx, key="members_by_type"))
        with right:
            shown.append(show.block(ui.block(blocks.type_matrix, ctx), ctx, key="matrix"))
    elif section == "Liste des adhérents":
        search = st.text_input("Rechercher (nom, commune, département, type)", key="members_search")
        shown.append(show.block(ui.block(content_blocks.members_list, ctx, search=search), ctx, key="members"))
    else:
        shown.append(show.block(ui.block(content_blocks.federation_teams, ctx), ctx, key="teams"))

show.export_buttons(shown, ctx, key="adherents", name="adherents", section=section)
