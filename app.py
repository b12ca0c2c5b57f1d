"""Vue d'ensemble: the essentials at a glance, every number sourced."""

import streamlit as st

from observatoire import ui

ctx = ui.page("Vue d'ensemble")

st.subheader("Chiffres clés du réseau")
kpis = ui.query("key_figures", year=ctx.year)
if not ctx.is_national:
    st.info(
        f"Ces chiffres clés ne sont publiés que pour la France entière : ils ne décrivent pas "
        f"le territoire « {ctx.territory_name} ».",
        icon=":material/public:",
    )
ui.kpi_tiles(kpis)
