"""Utilité sociale: the six enterprises of the synthesis compared and mapped, and the evaluation programme."""

import pandas as pd
import streamlit as st

from observatoire import charts, fmt, maps, point_map, tables, ui

ctx = ui.page("Utilité sociale")
st.caption("L'évaluation de l'utilité sociale territoriale proposée par COORACE : synthèse publiée par "
           "six entreprises de trois régions.")

programme = ui.query("published_figures_by_theme", theme="social_utility", territory="FR", year=ctx.year)
pilot = ui.query("published_figures_by_theme", theme="research_innovation", territory="FR", year=ctx.year + 1)
pilot = pilot[pilot.indicator.str.startswith("ust_")]
with st.container(border=True):
    ui.heading("Le programme d'évaluation en chiffres")
    st.dataframe(ui.derived(tables.figures_table, pd.concat([programme, pilot], ignore_index=True)),
                 hide_index=True, width="stretch")
    if not ctx.is_national:
        st.caption(f"Chiffres publiés pour l'ensemble du réseau, pas pour « {fmt.plain(ctx.territory_name)} ».")

enterprises = ui.query("social_utility_enterprises", territory=ctx.territory)
if enterprises.empty:
    st.info(f"Aucune des six entreprises de la synthèse n'est située dans « {fmt.plain(ctx.territory_name)} ».")
    st.stop()

table = enterprises[["name", "type_label", "place", "federation", "creation_year", "fte", "turnover_eur",
                     "certification"]].rename(columns={
    "name": "Entreprise", "type_label": "Type", "place": "Localisation", "federation": "COORACE régional",
    "creation_year": "Création", "fte": "ETP", "turnover_eur": "Chiffre d'affaires (€)", "certification": "Label"})
with st.container(border=True):
    ui.heading(f"Les entreprises de la synthèse — {ui.scope(ctx)}")
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "Création": st.column_config.NumberColumn(format="%d"),
        "ETP": st.column_config.NumberColumn(format="%.1f"),
        "Chiffre d'affaires (€)": st.column_config.NumberColumn(format="localized"),
    })
    st.caption("Source : Synthèse utilité sociale territoriale, « Les entreprises ayant contribué à cette synthèse »")
    ui.download_buttons(table, "entreprises-utilite-sociale", key="enterprises")

left, right = st.columns(2)
with left:
    ui.chart_block(
        "Effectifs (ETP) des entreprises de la synthèse",
        ui.figure(charts.bar, enterprises, "name", "fte", unit="ETP"),
        table[["Entreprise", "ETP"]], source="Synthèse utilité sociale territoriale", scope=ui.scope(ctx),
        key="ust_fte",
    )
with right:
    ui.chart_block(
        "Chiffre d'affaires annuel des entreprises de la synthèse",
        ui.figure(charts.bar, enterprises, "name", "turnover_eur", unit="€"),
        table[["Entreprise", "Chiffre d'affaires (€)"]], source="Synthèse utilité sociale territoriale",
        scope=ui.scope(ctx), key="ust_turnover",
    )

ui.chart_block(
    "Où sont les entreprises de la synthèse",
    ui.figure(point_map.points_map, enterprises.assign(fte_text=[fmt.with_unit(v, "ETP") for v in enterprises.fte]),
              "lon", "lat", "<b>{name}</b><br/>{place}<br/>{type_label} · {fte_text}",
              dep_col="dep_code", radius_px=9, height=460),
    table[["Entreprise", "Localisation", "COORACE régional"]],
    source=f"Synthèse utilité sociale territoriale · {maps.GEO_CREDIT}", scope=ui.scope(ctx), key="ust_map",
)
