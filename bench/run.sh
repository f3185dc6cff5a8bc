#!/usr/bin/env bash
# Runs the benchmarks against the local sandbox and rewrites bench/RESULTS.md.
# Every figure is a ratio against a baseline measured in the same run, on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
export PATH="$PWD/node_modules/.bin:$PATH"
npm run --silent build >/dev/null
# Four hosts for the many-hosts row (host 1 and ec2-user2..4).
PINCTL_SANDBOX_HOSTS=${PINCTL_SANDBOX_HOSTS:-4} scripts/sandbox up >/dev/null
eval "$(scripts/sandbox env)"
# The benchmarks need the key and a provisioned host, as after `npm run demo`.
node bin/run.js keypair fetch >/dev/null
node bin/run.js setup-client --yes >/dev/null
node bin/run.js topics create >/dev/null
node bench/run.mjs "$@"
