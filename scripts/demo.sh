#!/usr/bin/env bash
# The README's first command (`npm run demo`): installs what is missing, brings the local sandbox
# up (real sshd, real Kafka 2.8.1, moto for AWS, MariaDB) and runs the main job against it with pinctl:
# key pair, provisioning (twice: the second run changes nothing), topics, rows of the source database
# through the REST proxy, consuming them back, MSK Connect, the records in S3 and API Gateway. The sandbox stays up afterwards
# (`scripts/sandbox down` stops it). `--fresh` first resets the sandbox host to a new instance.
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=0
[ "${1:-}" = "--fresh" ] && fresh=1

bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
npm run --silent build >/dev/null
scripts/sandbox up
[ "$fresh" = 1 ] && scripts/sandbox reset-host
eval "$(scripts/sandbox env)"

pinctl() { node bin/run.js "$@"; }
step() { printf '\n\033[1m━━ %s\033[0m\n$ pinctl %s\n' "$1" "${*:2}"; pinctl "${@:2}"; }

step "1. The key pair's private key, from Parameter Store (moto)" keypair fetch
step "2. The EC2 client host answers over SSH" ssh -- uname -a
step "3. What setup-client would change" setup-client --dry-run
step "4. Provision the host: Java, Kafka 2.8.1, IAM jar, client.properties, REST proxy" setup-client --yes
step "5. Again: nothing to change" setup-client --yes
step "6. The three topics (--if-not-exists)" topics create
step "7. Rows of the source database (MariaDB, db_creds.yaml) posted through the REST proxy" \
  emulate --source db --count 5 --rate 5
step "8. …and back from Kafka, as JSON" consume pin --from-beginning --max-messages 5 --group "demo-$(date +%s)" --output json
step "9. The REST proxy service" rest-proxy status
step "10. MSK Connect: the S3 sink plugin (stand-in zip from the mirror)" connector plugin create
step "11. MSK Connect: the connector with the seed's configuration (stand-in service)" connector create
sleep 5   # the sandbox's Kafka Connect worker copies the records already in the topics to S3
step "12. Plugin, connector and objects in S3 (written by the Kafka Connect worker)" connector status
step "13. The records in S3, as a notebook mounting the bucket reads them" objects geo --limit 3 --output pretty
step "14. API Gateway: {proxy+} → the REST proxy, stage test" api wire

printf '\n\033[1mDone.\033[0m The sandbox is still up: eval "$(scripts/sandbox env)" and try any pinctl command; scripts/sandbox down stops it.\n'
