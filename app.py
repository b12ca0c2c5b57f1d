"""Vue d'ensemble: the essentials at a glance, every number sourced."""

import streamlit as st

from observatoire import blocks, content_blocks, fmt, show, ui

ctx = ui.page("Vue d'ensemble")

own = []  # a bookmark on a territory opens on what exists for it: its own figures and map, then the national ones
if not ctx.is_national:
    own.append(show.block(ui.block(blocks.key_figures, ctx), ctx, key="territory_kpis"))
    own.append(show.block(ui.block(blocks.members_map, ctx), ctx, key="territory_map", selects_territory=True,
                          height=420))
    st.subheader("France entière")
    st.info(
        f"Ces chiffres clés ne sont publiés que pour la France entière : ils ne décrivent pas "
        f"le territoire « {fmt.plain(ctx.territory_name)} ». Son profil complet est sur la page « Mon territoire ».",
        icon=":material/public:",
    )
# each tile with its change and trend line once two years exist; then the table of changes with both sources
shown = [show.block(ui.block(blocks.key_figures, ctx, territory="FR"), ctx, key="kpis")]
evolution = ui.block(blocks.key_figures_change, ctx, territory="FR")
if evolution.default:  # only once a second year exists
    shown.append(show.block(evolution, ctx, key="kpis_evolution"))

profile = ui.query("territory_profile", territory="FR", year=ctx.year).iloc[0]
show.demo_note(ctx, int(profile.demo_members))
measure = show.measure_picker(key="overview_map_measure")
shown.append(show.block(ui.block(blocks.members_map, ctx, territory="FR", measure=measure), ctx, key="overview_map",
                        selects_territory=True, height=520))

shown.append(show.block(ui.block(blocks.members_by_type, ctx, territory="FR"), ctx, key="overview_types"))
shown.append(show.block(ui.block(content_blocks.year_in_brief, ctx, territory="FR"), ctx, key="year_in_brief"))

shown += show.published_figures(ctx, ("network_members",), key="overview")  # exported when switched on

show.export_buttons(own + shown, ctx, key="overview", name="vue-ensemble", national=shown)
