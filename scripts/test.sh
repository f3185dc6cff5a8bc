#!/usr/bin/env bash
# The README's test command (`npm test`): installs what the tests need, builds, brings the
# sandbox up (real sshd, Kafka 2.8.1, moto; 4 hosts unless PINCTL_SANDBOX_HOSTS says otherwise),
# runs every unit and integration test, and ends
# with the plain line `N passed, N failed`. Extra arguments go to vitest (e.g. a file filter).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH"
npm run --silent build || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
tsc -p tsconfig.test.json || { echo "type check of src/ and test/ failed"; echo "0 passed, 1 failed"; exit 1; }
npm run --silent lint || { echo "lint failed (npm run format fixes the formatting)"; echo "0 passed, 1 failed"; exit 1; }

# Host 1 plus the 3 extra hosts that test/integration/inventory.test.ts provisions.
export PINCTL_SANDBOX_HOSTS=${PINCTL_SANDBOX_HOSTS:-4}
started=0
if ! scripts/sandbox status >/dev/null 2>&1; then
  # Up already, with fewer hosts: `up` adds them, and the sandbox stays up afterwards as it was.
  env -u PINCTL_SANDBOX_HOSTS scripts/sandbox status >/dev/null 2>&1 || started=1
  scripts/sandbox up || { echo "sandbox failed to start"; echo "0 passed, 1 failed"; exit 1; }
fi
cleanup() {
  if [ "$started" = 1 ] && [ -z "${PINCTL_KEEP_SANDBOX:-}" ]; then scripts/sandbox down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
eval "$(scripts/sandbox env)"

mkdir -p test-results
rm -f test-results/vitest.json
vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?
node scripts/test-summary.mjs test-results/vitest.json
summary_rc=$?
[ "$vitest_rc" -ne 0 ] && exit "$vitest_rc"
exit "$summary_rc"
