"""Qualité CEDRE: certified members and next year's objective, the year's new certified, the engagements (three
sections, the open one kept in the URL)."""

import streamlit as st

from observatoire import blocks, content_blocks, measures, network_blocks, show, ui


def iso_measure_picker(key: str) -> str:
    """What the map of the new ISO certified shows: the count, per 100 000 inhabitants or the members' share."""
    labels = {k: m.label for k, m in measures.ISO_MEASURES.items()}
    return st.segmented_control("Mesure", list(labels), default="count", format_func=labels.get, key=key,
                                help="Le taux rapporte les nouveaux certifiés à la population municipale (INSEE) ; "
                                     "la part des adhérents, au nombre d'adhérents du registre.") or "count"


ctx = ui.page("Qualité CEDRE")
section, tab = show.section("Qualité CEDRE")
with tab:
    if section == "Le label CEDRE":
        shown = [show.block(ui.block(network_blocks.tiles, ctx, block_id="qualite-chiffres"), ctx, key="cedre_tiles"),
                 show.block(ui.block(content_blocks.iso_objective, ctx), ctx, key="cedre_objective"),
                 show.block(ui.block(blocks.cedre, ctx), ctx, key="cedre"),
                 show.block(ui.block(content_blocks.certified_by_label, ctx), ctx, key="certified_by_label")]
    elif section == "Nouveaux certifiés":
        measure = iso_measure_picker(key="new_iso_map_measure")
        shown = [show.block(ui.block(blocks.new_certified_map, ctx, measure=measure), ctx, key="new_iso_map",
                            selects_territory=True, height=480),
                 show.block(ui.block(blocks.new_certified, ctx), ctx, key="new_certified")]
    else:
        shown = [show.block(ui.block(blocks.cedre_engagements, ctx), ctx, key="engagements")]
        shown += show.published_figures(ctx, ("cedre",), key="cedre")

show.export_buttons(shown, ctx, key="cedre", name="qualite-cedre", section=section)
