# shellcheck shell=bash
# Debian package helpers for the setup steps (source it; setup.sh runs only NN-*.sh, so never this file).
#   installed PKG            exit 0 when PKG is installed
#   missing_packages PKG…    "ok: PKG" for each installed one; the others go to the array MISSING
#   apt_install PKG…         `apt-get update`, then install PKG… with service starts forbidden (policy-rc.d):
#                            the sandbox runs its own sshd and mariadbd, never the system services

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing_packages() {
  MISSING=()
  local p
  for p in "$@"; do
    if installed "$p"; then echo "ok: $p"; else MISSING+=("$p"); fi
  done
}

apt_install() {
  echo "installing: $*"
  local policy=/usr/sbin/policy-rc.d made=0 rc=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made=1
  fi
  if apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
    rc=0
  else
    rc=$?
  fi
  if [ "$made" = 1 ]; then rm -f "$policy"; fi
  return "$rc"
}
