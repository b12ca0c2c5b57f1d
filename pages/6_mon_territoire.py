"""Mon territoire: everything known for the selected territory, a profile a delegate can show as is."""

import streamlit as st

from observatoire import blocks, compare, fmt, show, tables, ui

ctx = ui.page("Mon territoire")
profile = ui.query("territory_profile", territory=ctx.territory, year=ctx.year).iloc[0]
st.subheader(f"{fmt.plain(ctx.territory_name)} — données {ctx.year}")
if ctx.is_national:
    st.info("Choisissez un COORACE régional, une région ou un département dans le panneau latéral pour "
            "obtenir le profil de votre territoire.", icon=":material/location_on:")
show.demo_note(ctx, int(profile.demo_members), "le décompte des adhérents de ce territoire")

population = ui.query("population_of_territory", territory=ctx.territory).iloc[0]
cols = st.columns(4)
cols[0].metric("Adhérents", fmt.number(profile.members))
cols[1].metric("Adhérents certifiés", fmt.number(profile.certified), help="CEDRE ou CEDRE ISO 9001")
cols[2].metric("Départements couverts", fmt.number(profile.departements))
cols[3].metric(f"Habitants ({population.vintage})", fmt.number(population.population),
               help="Population municipale : somme des communes du territoire")
missing = int(population.communes_without_population)
st.caption(f"Habitants : {fmt.plain(population.source)}."
           + (f" {fmt.number(missing)} commune(s) sur {fmt.number(population.communes)} sans population dans "
              "cette source, non comptée(s)." if missing else ""))

st.subheader("Comparaison")
show.block(ui.block(compare.comparison, ctx), ctx, key="compare_table")
left, right = st.columns(2)
with left:
    show.block(ui.block(compare.members_rate, ctx), ctx, key="compare_rate")
with right:
    show.block(ui.block(compare.certified_share, ctx), ctx, key="compare_certified")
show.block(ui.block(compare.type_mix, ctx), ctx, key="compare_types")
show.block(ui.block(compare.register_years, ctx), ctx, key="compare_years")

st.subheader("Profil")

left, right = st.columns([2, 3])
with left:
    show.block(ui.block(blocks.members_by_type, ctx), ctx, key="profile_types")
with right:
    show.block(ui.block(blocks.members_points, ctx), ctx, key="profile_points", height=420)

figures = ui.query("territory_figures", territory=ctx.territory, year=ctx.year)
with st.container(border=True):
    ui.heading("Chiffres publiés pour ce territoire")
    if figures.empty:
        st.caption("Les documents ne publient aucun chiffre propre à ce territoire : seuls les chiffres nationaux "
                   "existent (voir la Vue d'ensemble).")
    else:
        show.table(tables.territory_figures_table(figures))

left, right = st.columns(2)
with left, st.container(border=True):
    ui.heading("Projets d'innovation")
    projects = ui.query("innovation_projects", territory=ctx.territory, axis=0)
    for p in tables.records(projects):
        st.markdown(f"**{fmt.plain(p.name)}** — {fmt.plain(p.place)}")
        st.caption(fmt.plain(p.summary))
        st.caption(f"Source : {fmt.plain(p.source)}")
with right, st.container(border=True):
    ui.heading("Entreprises de la synthèse « utilité sociale »")
    enterprises = ui.query("social_utility_enterprises", territory=ctx.territory)
    if enterprises.empty:
        st.caption("Aucune sur ce territoire.")
    for e in tables.records(enterprises):
        st.markdown(f"**{fmt.plain(e.name)}** — {fmt.plain(e.place)} · {fmt.with_unit(e.fte, 'ETP')} · "
                    f"{fmt.with_unit(e.turnover_eur, '€')}")

federations = ui.query("federations_of_territory", territory=ctx.territory)
if not ctx.is_national:
    with st.container(border=True):
        ui.heading("L'équipe du COORACE régional")
        if federations.empty:
            st.caption("Aucun COORACE régional ne couvre ce territoire.")
        sources = []
        for f in tables.records(federations):
            team = ui.query("federation_teams", federation=f.federation_id)
            sources += team.source_short.tolist()
            st.markdown(f"**COORACE {fmt.plain(f.name)}**")
            show.table(tables.pick(team, {"person": "Nom", "role": "Fonction", "note": "Remarque"}))
        if sources:
            st.caption(show.sources_line(sources))
