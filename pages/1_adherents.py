"""Adhérents: where the members are, of which type, and the regional federations' teams."""

import streamlit as st

from observatoire import blocks, fmt, show, tables, ui

# The member list's columns under their French headers; imputed values carry « (estimé) » in their cell.
MEMBER_COLUMNS = {"name": "Nom", "type_label": "Type", "commune": "Commune", "departement": "Département",
                  "federation": "COORACE régional", "label_scheme": "Label qualité", "label_year": "Année du label",
                  "location": "Localisation", "is_demo": "Démonstration", "source": "Source"}

ctx = ui.page("Adhérents")

profile = ui.query("territory_profile", territory=ctx.territory, year=ctx.year).iloc[0]
show.demo_note(ctx, int(profile.demo_members))
with st.container(horizontal=True):
    level = show.map_level_picker(ctx, key="members_map_level")
    measure = show.measure_picker(key="members_map_measure")
shown = [show.block(ui.block(blocks.members_map, ctx, level=level, measure=measure), ctx, key="members_map",
                    selects_territory=True)]

left, right = st.columns([1, 1])
with left:
    shown.append(show.block(ui.block(blocks.members_by_type, ctx), ctx, key="members_by_type"))
with right:
    show.block(ui.block(blocks.type_matrix, ctx), ctx, key="matrix")

with st.container(border=True):
    ui.heading(f"Liste des adhérents — {ctx.scope}")
    members = ui.query("members_list", territory=ctx.territory, year=ctx.year)
    text = st.text_input("Rechercher (nom, commune, département, type)", key="members_search")
    found = tables.search(members, text, ["name", "type_label", "commune", "departement", "federation"])
    listed = tables.pick(found, MEMBER_COLUMNS)
    show.table(listed.head(tables.MAX_ROWS_SHOWN), empty="Aucun adhérent ne correspond à cette recherche.",
               height=360)
    named = int((~members.is_demo).sum())
    estimated = int(members.estimated.notna().sum())
    st.caption(f"{len(found)} adhérent(s) affiché(s) sur {len(members)}"
               + (f" (les {tables.MAX_ROWS_SHOWN} premiers à l'écran : affinez la recherche ou téléchargez la liste)"
                  if len(found) > tables.MAX_ROWS_SHOWN else "")
               + f". Démonstration « oui » : ligne fictive. Les {named} autres adhérents sont nommés par la source "
               "de leur ligne (document publié ou fichier importé).")
    if estimated:
        st.caption(f"« (estimé) » : valeur que la source ne donne pas, complétée par la construction de la base pour "
                   f"{estimated} adhérent(s) nommé(s) (type de structure ; département quand la source ne nomme que "
                   "la région ; COORACE régional).")
    show.download_buttons(listed, "adherents", key="members")

with st.container(border=True):
    federations = ui.query("federations_of_territory", territory=ctx.territory)
    teams = ui.query("federation_teams", federation="")
    if not ctx.is_national:
        teams = teams[teams.federation_id.isin(federations.federation_id)]
    ui.heading(f"Les COORACE régionaux et leurs équipes — {ctx.scope}")
    if teams.empty:
        st.info(f"Aucun COORACE régional ne couvre « {fmt.plain(ctx.territory_name)} ».")
    else:
        # One sortable table rather than one per federation: a single element to send and to search.
        team_table = tables.pick(teams, {"federation": "COORACE régional", "person": "Nom", "role": "Fonction",
                                         "note": "Remarque"})
        show.table(team_table, height=min(36 + 35 * len(team_table), 400))
        st.caption(f"{len(team_table)} personne(s) dans {teams.federation_id.nunique()} COORACE régional(aux). "
                   + show.sources_line(teams.source_short))
        show.download_buttons(team_table, "equipes-coorace-regionaux", key="teams")

show.export_buttons(shown, ctx, key="adherents", name="adherents")
