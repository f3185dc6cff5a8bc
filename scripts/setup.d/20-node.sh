#!/usr/bin/env bash
# Node dependencies of the repo (they include Node 24 itself as node_modules/.bin/node, see package.json).
# `npm ci` only when node_modules is missing or older than package-lock.json.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
command -v npm >/dev/null || { echo "failed: npm not found (install Debian's nodejs/npm or any Node ≥ 18 with npm)" >&2; exit 1; }

stamp=node_modules/.package-lock.json   # npm rewrites it on every install
if [ -d node_modules ] && [ -e "$stamp" ] && [ ! "package-lock.json" -nt "$stamp" ]; then
  echo "ok: node_modules up to date with package-lock.json"
else
  echo "installing: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  touch "$stamp"
fi

node=node_modules/.bin/node
[ -x "$node" ] || { echo "failed: $node missing after npm ci (is the 'node' devDependency in package.json?)" >&2; exit 1; }
version=$("$node" --version)
major=${version#v}; major=${major%%.*}
if [ "$major" -ge 22 ]; then echo "ok: node $version ($node)"; else echo "failed: $node is $version, need ≥ 22" >&2; exit 1; fi
