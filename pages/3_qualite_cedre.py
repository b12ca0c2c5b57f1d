"""Qualité CEDRE: certified members, the year's certifications, engagements, next year's objective."""

import streamlit as st

from observatoire import blocks, fmt, network_blocks, show, tables, ui

ctx = ui.page("Qualité CEDRE")
tiles = show.block(ui.block(network_blocks.tiles, ctx, block_id="qualite-chiffres"), ctx, key="cedre_tiles")

objective = ui.query("published_series", theme="cedre", indicator="iso_new_objective", territory="FR",
                     year=ctx.year + 1)  # next year's objective
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

shown = [tiles, show.block(ui.block(blocks.cedre, ctx), ctx, key="cedre")]
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
