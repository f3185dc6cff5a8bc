#!/usr/bin/env bash
# Part 10: the fake AWS account. moto in server mode on 127.0.0.1:$MOTO_PORT (moto_sandbox.py: moto_server
# plus the MSK answers moto lacks), seeded by seed_aws.py. Also generates the EC2 key pair's private key
# (host/<key pair>.pem, once per sandbox): "CloudFormation" keeps it in SSM; 20-host authorizes its public part.
set -euo pipefail
# shellcheck source=scripts/sandbox.d/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

USER_ID=12b287eedf6d
KEY_PAIR=$USER_ID-key-pair
KEY=$PINCTL_SANDBOX_DIR/host/$KEY_PAIR.pem
VENV=$PINCTL_CACHE_DIR/venv
AWS_DIR=$PINCTL_SANDBOX_DIR/aws
SEEDED=$RUN_DIR/moto.seeded   # the moto pid the seed ran against: moto keeps its state in memory only

part_up() {
  [ -x "$VENV/bin/moto_server" ] || die "no moto in $VENV: run scripts/setup.sh"
  ensure_ports MOTO_PORT
  local endpoint=http://127.0.0.1:$MOTO_PORT

  # An AWS config of our own, so ~/.aws (profiles, SSO, a real region) cannot leak into the sandbox.
  mkdir -p "$AWS_DIR"
  printf '[default]\nregion = us-east-1\noutput = json\ncli_pager =\n' | write_if_changed "$AWS_DIR/config"
  printf '[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n' |
    write_if_changed "$AWS_DIR/credentials"

  if [ ! -s "$KEY" ]; then
    mkdir -p "$(dirname "$KEY")"
    # RSA 2048 in PEM, as EC2 generates for a CloudFormation key pair (ssh2 and OpenSSH read it).
    ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -C "$KEY_PAIR" -f "$KEY"
    chmod 0400 "$KEY"
    log "generated key pair $KEY_PAIR"
  fi

  ensure_daemon moto moto "$MOTO_PORT" 60 "$VENV/bin/python" "$REPO/scripts/sandbox.d/moto_sandbox.py" -H 127.0.0.1 -p "$MOTO_PORT"

  local pid
  pid=$(cat "$RUN_DIR/moto.pid")
  if [ "$(cat "$SEEDED" 2>/dev/null)" != "$pid" ]; then
    local summary
    summary=$(env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE AWS_CONFIG_FILE="$AWS_DIR/config" \
      AWS_SHARED_CREDENTIALS_FILE="$AWS_DIR/credentials" AWS_EC2_METADATA_DISABLED=true \
      "$VENV/bin/python" "$REPO/scripts/sandbox.d/seed_aws.py" \
      --endpoint "$endpoint" --private-key "$KEY" --user "$USER_ID" 2>>"$LOG_DIR/seed.log") ||
      { tail -n 20 "$LOG_DIR/seed.log" >&2; die "seeding moto failed (see $LOG_DIR/seed.log)"; }
    echo "$pid" >"$SEEDED"
    log "seeded: $summary"
  fi

  write_env moto \
    AWS_ENDPOINT_URL "$endpoint" \
    AWS_REGION us-east-1 \
    AWS_ACCESS_KEY_ID testing \
    AWS_SECRET_ACCESS_KEY testing \
    AWS_CONFIG_FILE "$AWS_DIR/config" \
    AWS_SHARED_CREDENTIALS_FILE "$AWS_DIR/credentials" \
    AWS_EC2_METADATA_DISABLED true \
    PINCTL_USER "$USER_ID" \
    PINCTL_KEY_PAIR "$KEY_PAIR" \
    PINCTL_CLUSTER pinterest-msk-cluster
}

part_down() {
  stop_daemon moto
  rm -f "$SEEDED"
}

part_status() { is_running moto; }

part_main "$@"
