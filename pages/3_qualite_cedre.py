"""Qualité CEDRE: certified members, the year's certifications, engagements, next year's objective."""

import streamlit as st

from observatoire import blocks, fmt, show, tables, ui

ctx = ui.page("Qualité CEDRE")


def series(indicator: str, territory: str = "FR", year: int | None = None):
    return ui.query("published_series", theme="cedre", indicator=indicator, territory=territory,
                    year=year or ctx.year)


total = series("certified_total")
st.subheader(f"Entreprises certifiées au 31 décembre {int(total.year.iloc[0]) if len(total) else ctx.year}")
cols = st.columns(4)
with cols[0]:
    show.kpi_value("Certifiées (total)", total, ctx)
by_scheme = series("certified_by_scheme")
for col, row in zip(cols[1:3], tables.records(by_scheme)):
    with col:
        show.kpi_value(row.category_label, by_scheme[by_scheme.category == row.category], ctx)
with cols[3]:
    show.kpi_value("Nouveaux ISO 9001", series("iso_new_certified"), ctx)

cols = st.columns(3)
with cols[0]:
    show.kpi_value("Nouveaux CEDRE", series("cedre_new_certified"), ctx)
with cols[1]:
    show.kpi_value("CEDRE renouvelés", series("cedre_renewals"), ctx)
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

shown = [show.block(ui.block(blocks.cedre, ctx), ctx, key="cedre")]
shown.append(show.block(ui.block(blocks.new_certified_map, ctx), ctx, key="new_iso_map", selects_territory=True,
                        height=480))
show.block(ui.block(blocks.new_certified, ctx), ctx, key="new_certified")
shown.append(show.block(ui.block(blocks.cedre_engagements, ctx), ctx, key="engagements"))

with st.container(border=True):
    ui.heading(f"Adhérents certifiés par label — {ctx.scope}")
    certified = ui.query("certified_by_scheme", territory=ctx.territory, year=ctx.year)
    show.table(tables.pick(certified, {"scheme": "Label", "members": "Adhérents certifiés",
                                       "demo_members": "dont lignes de démonstration"}))
    if int(certified.demo_members.sum()) > 0:
        ui.demo_badge()
    schemes = ui.query("quality_schemes")
    st.caption("Labels suivis : " + " ; ".join(
        f"{fmt.plain(r.scheme)} ({fmt.plain(r.description)})" for r in tables.records(schemes)))

show.published_figures(ctx, ("cedre",), key="cedre")

show.export_buttons(shown, ctx, key="cedre", name="qualite-cedre")
