#!/usr/bin/env bash
# Prepares this machine for pinctl's tests and sandbox: runs every scripts/setup.d/NN-*.sh in order.
# Each step is idempotent, needs no stdin, prints one line per thing ("ok: …" / "installing: …")
# and is fast when everything is already there. Stops at the first failing step.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "setup: must run as root (it installs Debian packages and a sandbox user)" >&2; exit 1; }
shopt -s nullglob
for step in "$here"/setup.d/[0-9][0-9]-*.sh; do
  name=$(basename "$step" .sh)
  if ! bash "$step" </dev/null; then
    echo "setup: step $name failed (scripts/setup.d/$name.sh); fix the error above and run scripts/setup.sh again" >&2
    exit 1
  fi
done
echo "setup: done"
