"""Mon territoire: everything known for the selected territory, a profile a delegate can show as is, in three
sections (profile, comparison, published figures and projects), the open one kept in the URL."""

import streamlit as st

from observatoire import blocks, compare, content_blocks, fmt, show, ui

ctx = ui.page("Mon territoire")
profile = ui.query("territory_profile", territory=ctx.territory, year=ctx.year).iloc[0]
st.subheader(f"{fmt.plain(ctx.territory_name)} — données {ctx.year}")
if ctx.is_national:
    st.info("Choisissez un COORACE régional, une région ou un département dans le panneau latéral pour "
            "obtenir le profil de votre territoire.", icon=":material/location_on:")
show.demo_note(ctx, int(profile.demo_members), "le décompte des adhérents de ce territoire")

section, tab = show.section("Mon territoire")
shown = []
with tab:
    if section == "Profil":
        shown.append(show.block(ui.block(content_blocks.territory_profile, ctx), ctx, key="profile_tiles"))
        left, right = st.columns([2, 3])
        with left:
            shown.append(show.block(ui.block(blocks.members_by_type, ctx), ctx, key="profile_types"))
        with right:
            shown.append(show.block(ui.block(blocks.members_points, ctx), ctx, key="profile_points", height=420))
    elif section == "Comparaison":
        shown.append(show.block(ui.block(compare.comparison, ctx), ctx, key="compare_table"))
        left, right = st.columns(2)
        with left:
            shown.append(show.block(ui.block(compare.members_rate, ctx), ctx, key="compare_rate"))
        with right:
            shown.append(show.block(ui.block(compare.certified_share, ctx), ctx, key="compare_certified"))
        shown.append(show.block(ui.block(compare.type_mix, ctx), ctx, key="compare_types"))
        shown.append(show.block(ui.block(compare.register_years, ctx), ctx, key="compare_years"))
    else:
        shown.append(show.block(ui.block(content_blocks.territory_figures, ctx), ctx, key="territory_figures"))
        # the territory's own projects first, the national ones under their own title (the cards of Innovation)
        projects = ui.block(blocks.projects, ctx)
        show.projects(projects, ctx)
        shown += show.in_shown_order(projects, ctx)
        shown.append(show.block(ui.block(content_blocks.synthesis_enterprises, ctx), ctx,
                                key="territory_enterprises"))
        if not ctx.is_national:
            shown.append(show.block(ui.block(content_blocks.federation_teams, ctx), ctx, key="territory_teams"))

show.export_buttons(shown, ctx, key="territoire", name="mon-territoire", section=section)
