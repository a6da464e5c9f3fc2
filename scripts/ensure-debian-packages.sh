#!/usr/bin/env bash
# Install the Debian packages the tests need (postgresql, chromium) when they are missing.
# A fresh CI machine has neither; a developer's machine usually has both, so this is a no-op.
# Usage: scripts/ensure-debian-packages.sh postgresql chromium
set -euo pipefail

present() {
    case "$1" in
        # Debian keeps the server binaries off PATH, in a versioned directory.
        postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
        chromium) [ -x /usr/bin/chromium ] ;;
        *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
    esac
}

missing=()
for pkg in "$@"; do
    present "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# CI has no stdin: nothing may prompt.
"${sudo[@]}" apt-get update -qq </dev/null
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" </dev/null
