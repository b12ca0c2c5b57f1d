#!/bin/sh
# Debian's chromium drives the browser tests (Playwright) and draws the deck's images (kaleido).
# Installs it when it is missing and this user may install packages (root, or sudo without a
# password); otherwise says in French what to install. Usage: ensure_chromium.sh required|optional
# CHROMIUM_PATH names the expected executable (default /usr/bin/chromium).
mode="${1:-required}"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root="sudo -n"
else
    as_root="impossible"
fi
if [ "$as_root" != "impossible" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium absent : installation du paquet Debian « chromium » (environ 30 s)…"
    if $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        && [ -x "$chromium" ]; then
        exit 0
    fi
    echo "L'installation du paquet « chromium » a échoué (voir les messages d'apt-get ci-dessus)." >&2
fi

message="Chromium est introuvable ($chromium) et ne peut pas être installé par cet utilisateur.
Installez le paquet Debian « chromium » avec un compte administrateur :
    sudo apt-get install chromium
(ou indiquez un autre exécutable avec CHROMIUM_PATH=/chemin/vers/chromium)."
if [ "$mode" = "optional" ]; then
    echo "Attention : $message
Le tableau de bord fonctionne sans ; seul l'export PowerPoint / PDF sera indisponible." >&2
    exit 0
fi
echo "Erreur : $message
Les tests de bout en bout en ont besoin." >&2
exit 1
