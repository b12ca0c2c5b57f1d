"""Financements: the national federation's resources and the network's turnover, then funding mixes and sectors
(two sections, the open one kept in the URL)."""

import streamlit as st

from observatoire import blocks, fmt, show, ui

ctx = ui.page("Financements")
st.caption("Les chiffres de cette page sont publiés pour la France entière uniquement.")

section, tab = show.section("Financements")
with tab:
    if section == "Ressources et chiffre d'affaires":
        left, right = st.columns(2)
        with left:
            show.kpi_value("Ressources du COORACE national", "federation_resources", "federation_resources_total",
                           ctx)
            shown = [show.block(ui.block(blocks.resources, ctx), ctx, key="resources")]
        with right:
            show.kpi_value("Chiffre d'affaires HT cumulé du réseau", "network_economy", "turnover_total", ctx)
            shown.append(show.block(ui.block(blocks.turnover, ctx), ctx, key="turnover", height=300))
    else:
        shown = [show.block(ui.block(blocks.funding_mix, ctx), ctx, key="funding_mix")]
        note = ui.cached(blocks.funding_note, ctx.year)
        if note:
            st.caption(fmt.plain(note))
        sectors = show.block(ui.block(blocks.sectors, ctx), ctx, key="sectors")
        shown.append(sectors)
        if sectors.remarks:
            st.caption(fmt.plain(sectors.remarks[0]))
        shown += show.published_figures(ctx, ("federation_resources", "funding_mix", "activity_sectors"),
                                        key="funding")

show.export_buttons(shown, ctx, key="financements", name="financements", section=section)
