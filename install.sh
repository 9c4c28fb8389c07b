#!/usr/bin/env bash
# Install DesktopChat for the person running this, or update an install: run it again after
# `git pull`. Debian and Ubuntu; as root or as a user (sudo is used only when not root, and
# only when a system package is missing).
#
#   1. apt-get installs the system libraries Qt needs (packaging/debian-runtime-packages.txt),
#      skipped when they are all there already;
#   2. a virtual environment in ~/.local/share/desktopchat/venv gets DesktopChat from this
#      folder, non-editable, with every dependency at the version in requirements.lock;
#   3. ~/.local/bin/desktopchat links to its launcher, and the desktop entry and icon go in
#      ~/.local/share/applications and ~/.local/share/icons, so the menu lists DesktopChat;
#   4. DesktopChat starts (not with --no-launch, nor without a display).
#
# Usage: ./install.sh [--no-launch]
#   PYTHON=/path/to/python3.12 ./install.sh   builds the environment with that Python
#   (3.11 to 3.13; python3 by default).
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

launch=1
for argument in "$@"; do
    case "$argument" in
        --no-launch) launch=0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $argument (try --help)" >&2; exit 2 ;;
    esac
done

source_dir="$(cd "$(dirname "$0")" && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
venv="$data_home/desktopchat/venv"
bin_dir="$HOME/.local/bin"
launcher="$bin_dir/desktopchat"
python="${PYTHON:-python3}"

say() { printf '== %s\n' "$*"; }

# --- 1. system packages ----------------------------------------------------------------------
mapfile -t packages < <(sed 's/#.*//' "$source_dir/packaging/debian-runtime-packages.txt" | xargs -n1)
if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
    missing=()
    for package in "${packages[@]}"; do
        status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)"
        [[ "$status" == ii* ]] || missing+=("$package")
    done
    if ((${#missing[@]})); then
        say "system packages: ${missing[*]}"
        sudo=()
        if [[ "$(id -u)" -ne 0 ]]; then
            if ! command -v sudo >/dev/null; then
                echo "install.sh: these packages are missing and sudo is not installed;" \
                    "install them as root (apt-get install ${missing[*]}), then run this again" >&2
                exit 1
            fi
            sudo=(sudo)
        fi
        export DEBIAN_FRONTEND=noninteractive
        "${sudo[@]}" apt-get update -q
        "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        say "system packages: all there"
    fi
else
    say "no apt-get here: install Python 3.11-3.13 with venv and Qt's runtime libraries" \
        "(packaging/debian-runtime-packages.txt lists Debian's names) yourself"
fi

# --- 2. the virtual environment ------------------------------------------------------------------
if ! "$python" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null
then
    echo "install.sh: DesktopChat needs Python 3.11 to 3.13; $python is" \
        "$("$python" --version 2>&1 || echo missing). Set PYTHON=/path/to/python3.x" >&2
    exit 1
fi
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }
if [[ -x "$venv/bin/python" ]] && [[ "$(version_of "$venv/bin/python" 2>/dev/null)" == "$(version_of "$python")" ]]
then
    say "updating $venv"
else
    say "creating $venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv --clear "$venv"
fi
# Non-editable, every dependency pinned by the lock. pip builds and reinstalls a project
# given as a folder every time, so a `git pull` that kept the version number still replaces
# the installed copy; dependencies already at their pinned version are left as they are.
# setuptools builds in the clone's build/ and never empties it: a module deleted by a
# `git pull` would stay in build/lib and come back in the installed copy.
rm -rf "$source_dir/build"
"$venv/bin/python" -m pip install --disable-pip-version-check -q \
    -c "$source_dir/requirements.lock" "$source_dir"

# --- 3. launcher, desktop entry, icon -------------------------------------------------------------
mkdir -p "$bin_dir" "$data_home/applications" "$data_home/icons/hicolor/scalable/apps"
ln -sfn "$venv/bin/desktopchat" "$launcher"
# The files shipped in the installed package, read outside this folder (-I: not the checkout).
resources="$(cd / && "$venv/bin/python" -I -c \
    'import importlib.resources as r; print(r.files("desktopchat") / "resources")')"
# Exec: the launcher's full path (menus do not read ~/.local/bin from PATH), quoted as the
# desktop entry specification asks when it holds a space or a reserved character.
exec_value="$launcher"
if [[ "$exec_value" =~ [^A-Za-z0-9/._+-] ]]; then
    escaped="$(printf '%s' "$exec_value" | sed 's/[\\"`$]/\\\\&/g')"
    exec_value="\"$escaped\""
fi
entry="$data_home/applications/desktopchat.desktop"
while IFS= read -r line; do
    if [[ "$line" == Exec=* ]]; then
        printf 'Exec=%s\n' "$exec_value"
    else
        printf '%s\n' "$line"
    fi
done <"$resources/desktopchat.desktop" >"$entry.tmp"
mv "$entry.tmp" "$entry"
cp "$resources/desktopchat.svg" "$data_home/icons/hicolor/scalable/apps/desktopchat.svg"
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$data_home/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null && [[ -f "$data_home/icons/hicolor/index.theme" ]]
then
    gtk-update-icon-cache -q -t "$data_home/icons/hicolor" || true
fi
say "installed $("$launcher" --version)"
echo "   launcher:      $launcher"
echo "   menu entry:    $entry"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "   $bin_dir is not on your PATH yet (it is after a new login on Debian/Ubuntu)" ;;
esac

# --- 4. start it ------------------------------------------------------------------------------
if ((launch)); then
    if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
        say "starting DesktopChat"
        # Detached from this terminal (its own session, no tie to this script's output), in
        # the home folder as a menu would start it; it writes its own log.
        (cd "$HOME" && exec setsid "$launcher" </dev/null >/dev/null 2>&1 &) </dev/null >/dev/null 2>&1
    else
        say "no display here: start DesktopChat from your desktop's menu or with desktopchat"
    fi
fi
