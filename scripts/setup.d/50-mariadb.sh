#!/usr/bin/env bash
# MariaDB for the sandbox's source database (the tables `pinctl emulate --source db` reads): the server
# binaries and the client. The sandbox runs its own mariadbd (scripts/sandbox.d/parts/60-mariadb.sh), so
# the system service is never started (apt_install forbids service starts) and nothing relies on it.
# Installs only what is missing; `apt-get update` only then.
set -euo pipefail
# shellcheck source=scripts/setup.d/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

missing_packages mariadb-server mariadb-client
[ ${#MISSING[@]} -eq 0 ] && exit 0
apt_install "${MISSING[@]}"
for p in "${MISSING[@]}"; do installed "$p" || { echo "failed: $p" >&2; exit 1; }; done
echo "ok: installed ${MISSING[*]}"
