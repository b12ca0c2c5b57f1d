"""Adhérents: where the members are, of which type, and the regional federations' teams."""

import streamlit as st

from observatoire import fmt, maps, tables, ui

ctx = ui.page("Adhérents")

profile = ui.query("territory_profile", territory=ctx.territory, year=ctx.year).iloc[0]
ui.demo_note(int(profile.demo_members))
level = ui.map_level_picker(ctx, key="members_map_level")
counts = ui.query("members_by_subterritory", territory="FR", level=level, year=ctx.year)
ui.chart_block(
    f"Adhérents {ui.BY_LEVEL[level]}, {ctx.year}",
    ui.figure(maps.choropleth, counts, level, "members", unit="nombre", value_name="Adhérents"),
    counts[["territory_id", "name", "members", "certified"]].rename(
        columns={"territory_id": "Code", "name": "Territoire", "members": "Adhérents", "certified": "Certifiés"}),
    source=f"{ui.query('register_sources', territory='FR', year=ctx.year).source.iloc[0]} · {maps.GEO_CREDIT}",
    scope="France entière — cliquez un territoire pour le sélectionner",
    key="members_map", selects_territory=True,
)

left, right = st.columns([1, 1])
with left:
    by_type = ui.members_by_type_block(ctx, key="members_by_type")
with right:
    matrix = ui.derived(tables.type_matrix,
        ui.query("members_by_subterritory_and_type", territory=ctx.territory,
                 sublevel=ui.SUBLEVEL[ctx.level], year=ctx.year),
        dict(zip(by_type.structure_type, by_type.short_label)),
    )
    with st.container(border=True):
        ui.heading(f"Territoires × types de structure — {ui.scope(ctx)}")
        st.dataframe(matrix, hide_index=True, width="stretch")
        register = ui.query("register_sources", territory=ctx.territory, year=ctx.year).source.iloc[0]
        st.caption(f"Source : {fmt.plain(register)} · Périmètre : {fmt.plain(ui.scope(ctx))}")
        ui.download_buttons(matrix, "adherents-territoire-type", key="matrix")

with st.container(border=True):
    ui.heading(f"Liste des adhérents — {ui.scope(ctx)}")
    members = ui.query("members_list", territory=ctx.territory, year=ctx.year)
    text = st.text_input("Rechercher (nom, commune, département, type)", key="members_search")
    shown = tables.search(members, text, ["name", "type_label", "commune", "departement", "federation"])
    st.dataframe(
        shown.head(tables.MAX_ROWS_SHOWN), hide_index=True, width="stretch", height=360,
        column_config={
            "name": "Nom", "type_label": "Type", "commune": "Commune", "departement": "Département",
            "federation": "COORACE régional", "label_scheme": "Label qualité",
            "label_year": st.column_config.NumberColumn("Année du label", format="%d"),
            "location": "Localisation", "is_demo": st.column_config.CheckboxColumn("Démonstration"),
            "imputed_fields": "Champs imputés", "source": "Source",
        },
    )
    st.caption(f"{len(shown)} adhérent(s) affiché(s) sur {len(members)}"
               + (f" (les {tables.MAX_ROWS_SHOWN} premiers à l'écran : affinez la recherche ou téléchargez la liste)"
                  if len(shown) > tables.MAX_ROWS_SHOWN else "")
               + ". Les lignes « Démonstration » sont fictives ; les adhérents nommés viennent des documents publiés.")
    ui.download_buttons(shown, "adherents", key="members")

with st.container(border=True):
    ui.heading("Les 18 COORACE régionaux et leurs équipes (rapport d'activité 2014)")
    federations = ui.query("federations_of_territory", territory=ctx.territory)
    teams = ui.query("federation_teams", federation="")
    if not ctx.is_national:
        teams = teams[teams.federation_id.isin(federations.federation_id)]
    if teams.empty:
        st.info(f"Aucun COORACE régional ne couvre « {fmt.plain(ctx.territory_name)} » en 2014.")
    else:
        # One sortable table rather than one per federation: a single element to send and to search.
        team_table = teams[["federation", "person", "role", "note"]].rename(columns={
            "federation": "COORACE régional", "person": "Nom", "role": "Fonction", "note": "Remarque"})
        st.dataframe(team_table, hide_index=True, width="stretch", height=min(36 + 35 * len(team_table), 400))
        st.caption(f"{len(team_table)} personne(s) dans {teams.federation_id.nunique()} COORACE régional(aux). "
                   "Source : Rapport d'activité 2014, « LES ÉQUIPES DES COORACE RÉGIONAUX »")
        ui.download_buttons(team_table, "equipes-coorace-regionaux", key="teams")

ui.export_buttons(["carte-adherents", "types-structures"], ctx, key="adherents", name="adherents")
