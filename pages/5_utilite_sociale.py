"""Utilité sociale: the six enterprises of the synthesis compared and mapped, and the evaluation programme."""

import pandas as pd
import streamlit as st

from observatoire import blocks, fmt, show, tables, ui

ctx = ui.page("Utilité sociale")
st.caption("L'évaluation de l'utilité sociale territoriale proposée par COORACE : synthèse publiée par "
           "les entreprises ci-dessous.")

programme = ui.query("published_figures_by_theme", theme="social_utility", territory="FR", year=ctx.year)
pilot = ui.query("published_figures_by_theme", theme="research_innovation", territory="FR", year=ctx.year + 1)
pilot = pilot[pilot.indicator.str.startswith("ust_")]
with st.container(border=True):
    ui.heading("Le programme d'évaluation en chiffres")
    show.table(ui.derived(tables.figures_table, pd.concat([programme, pilot], ignore_index=True)))
    if not ctx.is_national:
        st.caption(f"Chiffres publiés pour l'ensemble du réseau, pas pour « {fmt.plain(ctx.territory_name)} ».")

show.published_figures(ctx, ("social_utility",), key="ust")

enterprises = ui.query("social_utility_enterprises", territory=ctx.territory)
if enterprises.empty:
    count = len(ui.query("social_utility_enterprises", territory="FR"))
    st.info(f"Aucune des {count} entreprises de la synthèse n'est située dans « {fmt.plain(ctx.territory_name)} ».")
    st.stop()

table = tables.pick(enterprises, {
    "name": "Entreprise", "type_label": "Type", "place": "Localisation", "federation": "COORACE régional",
    "creation_year": "Création", "fte": "ETP", "turnover_eur": "Chiffre d'affaires (€)", "certification": "Label"})
with st.container(border=True):
    ui.heading(f"Les entreprises de la synthèse — {ctx.scope}")
    show.table(table)  # French numbers (708 000, 56,0), whatever the browser's language
    sections = dict.fromkeys(" — ".join(s.split(" — ")[:2]) for s in enterprises.source)
    st.caption("Source : " + " ; ".join(fmt.plain(s) for s in sections))
    show.download_buttons(table, "entreprises-utilite-sociale", key="enterprises")

left, right = st.columns(2)
with left:
    show.block(ui.block(blocks.enterprises_fte, ctx), ctx, key="ust_fte")
with right:
    show.block(ui.block(blocks.enterprises_turnover, ctx), ctx, key="ust_turnover")
show.block(ui.block(blocks.enterprises_map, ctx), ctx, key="ust_map")
