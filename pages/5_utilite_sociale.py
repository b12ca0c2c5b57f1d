"""Utilité sociale: the six enterprises of the synthesis compared and mapped, and the evaluation programme."""

import streamlit as st

from observatoire import blocks, content_blocks, show, ui

ctx = ui.page("Utilité sociale")
st.caption("L'évaluation de l'utilité sociale territoriale proposée par COORACE : synthèse publiée par "
           "les entreprises ci-dessous.")

shown = [show.block(ui.block(content_blocks.programme_figures, ctx), ctx, key="programme")]
shown += show.published_figures(ctx, ("social_utility",), key="ust")

shown.append(show.block(ui.block(content_blocks.synthesis_enterprises, ctx), ctx, key="enterprises"))
left, right = st.columns(2)
with left:
    shown.append(show.block(ui.block(blocks.enterprises_fte, ctx), ctx, key="ust_fte"))
with right:
    shown.append(show.block(ui.block(blocks.enterprises_turnover, ctx), ctx, key="ust_turnover"))
shown.append(show.block(ui.block(blocks.enterprises_map, ctx), ctx, key="ust_map"))

show.export_buttons(shown, ctx, key="ust", name="utilite-sociale")
