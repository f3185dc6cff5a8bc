#!/usr/bin/env bash
# MariaDB for the sandbox's source database (the tables the posting emulator reads): the server binaries and
# the client. The sandbox runs its own mariadbd (scripts/sandbox.d/parts/60-mariadb.sh), so the system service
# is never started: policy-rc.d forbids it during the install, and nothing relies on it afterwards.
# Installs only what is missing; `apt-get update` only then.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(mariadb-server mariadb-client)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=()
for p in "${packages[@]}"; do
  if installed "$p"; then echo "ok: $p"; else missing+=("$p"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for p in "${missing[@]}"; do installed "$p" || { echo "failed: $p" >&2; exit 1; }; done
echo "ok: installed ${missing[*]}"
