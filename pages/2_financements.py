"""Financements: the national federation's resources, the network's turnover, funding mixes, sectors."""

import streamlit as st

from observatoire import charts, fmt, tables, ui

ctx = ui.page("Financements")
st.caption("Les chiffres de cette page sont publiés pour la France entière uniquement.")


def series(theme: str, indicator: str):
    return ui.query("published_series", theme=theme, indicator=indicator, territory="FR", year=ctx.year)


total = series("federation_resources", "federation_resources_total")
shares = series("federation_resources", "federation_resources_share")
left, right = st.columns(2)
with left:
    ui.kpi_value("Ressources du COORACE national", total, ctx)
    ui.chart_block(
        f"Répartition des ressources du COORACE national, {int(shares.year.max())}",
        ui.figure(charts.donut, shares, "category_label", "value", unit="%"),
        ui.derived(tables.figures_table, shares), source=shares.source_short.iloc[0], scope="COORACE national",
        key="resources", national_only=True, ctx=ctx,
    )
with right:
    turnover = series("network_economy", "turnover_by_scope")
    turnover_total = series("network_economy", "turnover_total")
    ui.kpi_value("Chiffre d'affaires HT cumulé du réseau", turnover_total, ctx)
    ui.chart_block(
        f"Chiffre d'affaires HT cumulé : SIAE et réseau, {int(turnover.year.max())}",
        ui.figure(charts.bar, turnover, "category_label", "value", unit="M€", horizontal=False, height=300),
        ui.derived(tables.figures_table, turnover), source=turnover.source_short.iloc[0], scope="France entière",
        key="turnover", national_only=True, ctx=ctx,
    )

mix = ui.query("funding_mix_by_type", territory="FR", year=ctx.year)
economic = series("funding_mix", "economic_activity_share")
ui.chart_block(
    f"Financements publics et activité économique par type de structure, {int(mix.year.max())} "
    "(en % du total des ressources)",
    ui.figure(charts.stacked_shares, mix, "category_label", "series", "value",
              {"Financements publics": charts.ACCENT, "Activité économique": "#E69F00"}),
    mix[["category_label", "series", "value", "year"]].rename(columns={
        "category_label": "Type", "series": "Ressource", "value": "Part (%)", "year": "Année"}),
    source=mix.source_short.iloc[0], scope="France entière", key="funding_mix", national_only=True, ctx=ctx,
)
if not economic.empty:
    st.caption(
        f"Le rapport titre aussi : « Une mission financée à {economic.value.iloc[0]:.0f} % par l'activité "
        "économique des entreprises ». Une seconde série de parts (89 / 89 / 40 / 77 / 98 %) figure dans le "
        "document ; elle n'est pas retenue (voir la page Sources et données)."
    )

sectors = series("activity_sectors", "sector_distribution")
ui.chart_block(
    f"Répartition par secteur d'activité, {int(sectors.year.max())}",
    ui.figure(charts.bar, sectors, "category_label", "value", unit="%"),
    ui.derived(tables.figures_table, sectors), source=sectors.source_short.iloc[0], scope="France entière",
    key="sectors", national_only=True, ctx=ctx,
)
if sectors.note.notna().any():
    st.caption(fmt.plain(sectors.note.dropna().iloc[0]))

ui.export_buttons(["ressources", "chiffre-affaires", "financements", "secteurs"], ctx, key="financements",
                  name="financements")
