"""Administration: templates, validated imports with a preview, versions and rollback (login required)."""

from functools import partial

import streamlit as st

from observatoire import auth, build, fmt, kinds, throttle, ui, validate, versions, years

ctx = ui.page("Administration")
admin = auth.load_admin()
if admin is None:
    st.warning(
        "**Aucun accès administrateur n'est configuré : cette page ne permet rien.**\n\n"
        "Sur le serveur, depuis le dossier du projet, lancez `make admin-password` : la commande demande un "
        "identifiant et un mot de passe (12 caractères au moins) et enregistre leur empreinte salée dans "
        "`.streamlit/secrets.toml` (jamais le mot de passe lui-même). Depuis un script, passez-les par les "
        "variables d'environnement `OBSERVATOIRE_ADMIN_USER` et `OBSERVATOIRE_ADMIN_PASSWORD`. "
        "Rechargez ensuite cette page.",
        icon=":material/lock:",
    )
    st.stop()

if not st.session_state.get("admin_user"):
    with st.form("login"):
        st.markdown("#### Connexion administrateur")
        username = st.text_input("Identifiant", key="login_username")
        password = st.text_input("Mot de passe", type="password", key="login_password")
        submitted = st.form_submit_button("Se connecter")
    if submitted:
        guard = throttle.Throttle()  # shared by every session and server process
        verdict = guard.begin(username)
        if not verdict.allowed:  # refused without checking the password
            st.error(throttle.retry_message(verdict), icon=":material/timer:")
        elif auth.verify(admin, username, password):
            guard.succeeded(username)
            st.session_state.admin_user = admin["username"]
            st.rerun()
        else:
            st.error("Identifiant ou mot de passe incorrect.")
            if not (after := guard.status(username)).allowed:
                st.warning(throttle.retry_message(after), icon=":material/timer:")
    st.stop()

user = st.session_state.admin_user
top = st.columns([4, 1])
top[0].caption(f"Connecté·e : **{fmt.plain(user)}**. Chaque import est vérifié en entier avant toute écriture ; "
               "la base servie n'est remplacée qu'une fois la nouvelle version contrôlée, et chaque import peut être "
               "annulé (onglet « Versions et retour arrière »).")
if top[1].button("Se déconnecter", icon=":material/logout:"):
    del st.session_state["admin_user"]
    st.rerun()

templates_tab, upload_tab, versions_tab = st.tabs(["Modèles de fichiers", "Importer", "Versions et retour arrière"])

with templates_tab:
    st.markdown("Téléchargez un modèle, remplissez-le, puis déposez-le dans l'onglet « Importer ». Le modèle XLSX "
                "propose des listes déroulantes pour les colonnes codées (types de structure, labels, unités, "
                "territoires).")
    for kind in kinds.KINDS.values():
        cols = st.columns([3, 1, 1])
        cols[0].markdown(f"**{kind.label}** — colonnes : `{'`, `'.join(kind.columns)}`")
        cols[1].download_button("CSV", partial(kinds.template_csv, kind.name), f"modele-{kind.name}.csv", "text/csv",
                                key=f"tpl_csv_{kind.name}", icon=":material/download:")
        cols[2].download_button("XLSX", partial(kinds.template_xlsx, kind.name), f"modele-{kind.name}.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                key=f"tpl_xlsx_{kind.name}", icon=":material/download:")

with upload_tab:
    kind_names = list(kinds.KINDS)
    kind = st.selectbox("Type de fichier", kind_names, format_func=lambda k: kinds.KINDS[k].label, key="import_kind")
    year = None
    if kinds.KINDS[kind].per_year:
        year = int(st.number_input("Année du registre", min_value=1980, max_value=2100, value=ctx.year + 1,
                                   step=1, key="import_year"))
    file = st.file_uploader("Fichier CSV ou XLSX (5 Mo au plus)", type=["csv", "xlsx"], key="import_file",
                            help="CSV tel qu'Excel l'enregistre (« CSV (séparateur : point-virgule) » ou "
                                 "« CSV UTF-8 ») ou classeur XLSX ; les titres de colonnes peuvent être ceux du "
                                 "modèle ou leur libellé français.")
    if file is not None:
        validation, changes = validate.once(st.session_state, kind, file.name, file.getvalue(), year)
        if not validation.ok:
            whole_file = "".join(f" {fmt.plain(i.message[:1].upper() + i.message[1:])}."
                                 for i in validation.issues if i.row is None)
            st.error(f"**{fmt.plain(file.name)} : {len(validation.issues)} erreur(s), rien n'a été importé.**"
                     f"{whole_file} Corrigez le fichier puis déposez-le à nouveau.")
            st.dataframe(validate.issue_table(validation.issues), hide_index=True, width="stretch")
        elif st.session_state.get("import_done", (None,))[0] == st.session_state.import_checked[0]:
            st.success(f"{fmt.plain(file.name)} : import enregistré (version {st.session_state.import_done[1]}).")
        else:
            st.success(f"{fmt.plain(file.name)} : fichier valide, {len(validation.rows)} ligne(s). "
                       "Voici ce qui changerait :")
            hidden = years.hidden_years(validation.rows, ui.territories().years) if kind == "figures" else ""
            if hidden:
                st.info(fmt.plain(hidden), icon=":material/calendar_month:")
            cols = st.columns(3)
            for col, (label, frame) in zip(cols, changes.items()):
                col.metric(f"Lignes {label}", len(frame))
            for label, frame in changes.items():
                if len(frame):
                    with st.expander(f"Lignes {label} ({len(frame)})"):
                        st.dataframe(frame, hide_index=True, width="stretch")
            if st.button("Confirmer l'import", type="primary", icon=":material/publish:", key="confirm_import"):
                with st.spinner("Construction, contrôle et mise en place de la nouvelle base…"):
                    try:
                        entry = versions.apply(validation, user)
                    except Exception as exc:  # noqa: BLE001 - shown to the administrator, base untouched
                        st.error(f"Import refusé, la base servie est inchangée : {fmt.plain(exc)}")
                    else:
                        ui.clear_caches()
                        st.session_state.import_done = (st.session_state.import_checked[0], entry["version"])
                        st.success(f"Import enregistré (version {entry['version']}).")

with versions_tab:
    for message in versions.problems():
        st.warning(fmt.plain(message), icon=":material/warning:")
    in_force = versions.in_force_table()
    journal = versions.history()
    if journal.empty and in_force.empty:
        st.info("Aucun import pour l'instant.")
    else:
        st.markdown("**Imports en vigueur** (enregistrés dans la base servie elle-même)")
        st.dataframe(in_force, hide_index=True, width="stretch")
        st.markdown("**Journal** des imports et retours arrière")
        st.dataframe(journal, hide_index=True, width="stretch")
    if not in_force.empty:
        version = st.selectbox("Annuler l'import (et ceux qui le suivent)", in_force.Version.tolist()[::-1],
                               key="rollback_version")
        st.caption("La base est reconstruite depuis data/sources (corrections comprises) avec les imports antérieurs.")
        if st.button("Revenir en arrière", icon=":material/undo:", key="confirm_rollback"):
            with st.spinner("Reconstruction depuis les sources et les imports antérieurs…"):
                try:
                    entry = versions.rollback(version, user)
                except (ValueError, build.BuildError) as exc:
                    st.error(f"Retour arrière impossible, la base servie est inchangée : {fmt.plain(exc)}")
                else:
                    ui.clear_caches()
                    st.success(f"Import(s) annulé(s) : {', '.join(entry['cancelled'])}.")
