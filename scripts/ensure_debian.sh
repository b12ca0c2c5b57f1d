#!/bin/sh
# A Debian package the project needs (chromium for the browser tests and the deck's images, haproxy
# for the replicas behind the proxy): installed when missing and this user may install packages
# (root, or sudo without a password); otherwise a French message says what to install.
# Usage: ensure_debian.sh PACKAGE EXECUTABLE required|optional "what needs it"
package="$1"
executable="$2"
mode="${3:-required}"
needed_by="$4"
[ -x "$executable" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root="sudo -n"
else
    as_root="impossible"
fi
if [ "$as_root" != "impossible" ] && command -v apt-get >/dev/null 2>&1; then
    echo "$package absent : installation du paquet Debian « $package »…"
    if $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null \
        && [ -x "$executable" ]; then
        exit 0
    fi
    echo "L'installation du paquet « $package » a échoué (voir les messages d'apt-get ci-dessus)." >&2
fi

message="$package est introuvable ($executable) et ne peut pas être installé par cet utilisateur.
Installez le paquet Debian « $package » avec un compte administrateur :
    sudo apt-get install $package"
if [ "$mode" = "optional" ]; then
    echo "Attention : $message
$needed_by" >&2
    exit 0
fi
echo "Erreur : $message
$needed_by" >&2
exit 1
