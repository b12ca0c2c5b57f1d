"""Le réseau: the federation's governance and meetings, the network's workforce, training and services."""

import streamlit as st

from observatoire import network_blocks, show, ui

ctx = ui.page("Le réseau")
if not ctx.is_national:
    st.info("Les chiffres de cette page sont publiés pour la France entière uniquement.", icon=":material/public:")

shown = [show.block(ui.block(network_blocks.tiles, ctx, block_id="emploi-reseau"), ctx, key="workforce")]
shown.append(show.block(ui.block(network_blocks.tiles, ctx, block_id="instances"), ctx, key="governance"))
shown.append(show.block(ui.block(network_blocks.governance_bodies, ctx), ctx, key="bodies"))
shown.append(show.block(ui.block(network_blocks.tiles, ctx, block_id="formation"), ctx, key="training"))
shown.append(show.block(ui.block(network_blocks.training_offers, ctx), ctx, key="offers"))
shown += show.published_figures(ctx, ("network_economy", "governance", "training", "legal_helpdesk",
                                      "economic_development", "network_life"), key="network")

show.export_buttons(shown, ctx, key="reseau", name="reseau")
