"""Qualité CEDRE: certified members, 2014 certifications, engagements, the 2015 objective."""

import streamlit as st

from observatoire import charts, fmt, maps, tables, ui

ctx = ui.page("Qualité CEDRE")


def series(indicator: str, territory: str = "FR", year: int | None = None):
    return ui.query("published_series", theme="cedre", indicator=indicator, territory=territory,
                    year=year or ctx.year)


st.subheader("Entreprises certifiées au 31 décembre 2014")
cols = st.columns(4)
with cols[0]:
    ui.kpi_value("Certifiées (total)", series("certified_total"), ctx)
by_scheme = series("certified_by_scheme")
for col, (_, row) in zip(cols[1:3], by_scheme.iterrows()):
    with col:
        ui.kpi_value(row.category_label, by_scheme[by_scheme.category == row.category], ctx)
with cols[3]:
    ui.kpi_value("Nouveaux ISO 9001", series("iso_new_certified"), ctx)

cols = st.columns(3)
with cols[0]:
    ui.kpi_value("Nouveaux CEDRE", series("cedre_new_certified"), ctx)
with cols[1]:
    ui.kpi_value("CEDRE renouvelés", series("cedre_renewals"), ctx)
with cols[2]:
    objective = series("iso_new_objective", year=ctx.year + 1)  # next year's objective
    done = ui.query("certifications_in_year", territory="FR", scheme="CEDRE ISO 9001",
                    year=int(objective.year.iloc[0]) if not objective.empty else ctx.year + 1)
    with st.container(border=True):
        if objective.empty:
            st.info("Aucun objectif publié.")
        else:
            target, year = int(objective.value.iloc[0]), int(objective.year.iloc[0])
            achieved = int(done.certifications.iloc[0])
            st.metric(f"Objectif {year} : nouveaux ISO 9001", f"{achieved} / {target}")
            st.progress(min(achieved / target, 1.0))
            st.caption(
                f"Progression mesurée dans le registre : {achieved} certification(s) {year} enregistrée(s)"
                + (" — aucune donnée de l'année n'a encore été importée." if achieved == 0 else ".")
                + f" Source de l'objectif : {fmt.plain(objective.source_short.iloc[0])}"
            )

new_by_fed = series("iso_new_by_federation").rename(columns={"category": "territory_id"})
ui.chart_block(
    "Nouveaux certifiés CEDRE ISO 9001 de décembre 2014, par COORACE régional",
    ui.figure(maps.choropleth, new_by_fed, "federation", "value", unit="nombre", value_name="Nouveaux certifiés",
              height=480),
    ui.derived(tables.figures_table, new_by_fed), source=new_by_fed.source_short.iloc[0], scope="France entière",
    key="new_iso_map", selects_territory=True,
)
with st.container(border=True):
    ui.heading(f"Les entreprises certifiées en 2014 — {ui.scope(ctx)}")
    named = ui.query("new_certified_members", territory=ctx.territory, year=2014)
    named = named[~named.is_demo]
    st.dataframe(named[["name", "scheme", "federation"]].rename(
        columns={"name": "Entreprise", "scheme": "Certification", "federation": "COORACE régional"}),
        hide_index=True, width="stretch")
    st.caption("Source : Rapport d'activité 2014, « Les nouveaux certifiés CEDRE ISO 9001 ». Les 6 nouveaux "
               "certifiés CEDRE de 2014 ne sont pas nommés dans le rapport.")


engagements = series("engagement_share", "fed-midi-pyrenees")
ui.chart_block(
    "Les cinq engagements CEDRE de l'accompagnement socio-professionnel (Midi-Pyrénées, 2014)",
    ui.figure(charts.bar, engagements, "category_label", "value", unit="%"),
    ui.derived(tables.figures_table, engagements), source=engagements.source_short.iloc[0],
    scope="COORACE Midi-Pyrénées (seul territoire publié)", key="engagements",
)
if ctx.territory != "fed-midi-pyrenees":
    st.caption("Ces parts ne sont publiées que pour Midi-Pyrénées (18 entreprises certifiées sur 41 adhérentes).")

with st.container(border=True):
    ui.heading(f"Adhérents certifiés par label — {ui.scope(ctx)}")
    certified = ui.query("certified_by_scheme", territory=ctx.territory, year=ctx.year)
    st.dataframe(certified.rename(columns={"scheme": "Label", "members": "Adhérents certifiés",
                                           "demo_members": "dont lignes de démonstration"}),
                 hide_index=True, width="stretch")
    if int(certified.demo_members.sum()) > 0:
        ui.demo_badge()
    schemes = ui.query("quality_schemes")
    st.caption("Labels suivis : " + " ; ".join(
        f"{fmt.plain(r.scheme)} ({fmt.plain(r.description)})" for r in tables.records(schemes)))

ui.export_buttons(["cedre", "cedre-iso-carte", "cedre-engagements"], ctx, key="cedre", name="qualite-cedre")
