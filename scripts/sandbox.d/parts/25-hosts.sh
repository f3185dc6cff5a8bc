#!/usr/bin/env bash
# Part 25: the extra hosts of PINCTL_SANDBOX_HOSTS=N (default 1: none) and the inventory file of all hosts.
# Host i (2..N) is the Unix user ec2-user<i> (own home, passwordless sudo, the key pair's public key
# authorized) behind its own private sshd on 127.0.0.1:$HOST<i>_SSH_PORT, with its own REST proxy port
# $HOST<i>_REST_PORT and its own user id (12b287eedf6d + i - 1, in hex: 12b287eedf6e, 12b287eedf6f, …) whose
# IAM role is seeded in moto. Nothing here touches ec2-user (host 1, part 20-host): a sandbox with only this
# part (PINCTL_SANDBOX_PARTS=25-hosts) runs beside another sandbox that owns host 1.
# Writes $PINCTL_SANDBOX_DIR/inventory.json (host 1 first when part 20-host ran) and PINCTL_INVENTORY.
set -euo pipefail
# shellcheck source=scripts/sandbox.d/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/sandbox.d/host-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../host-lib.sh"

FIRST_USER_ID=12b287eedf6d
KEY_PAIR=$FIRST_USER_ID-key-pair
KEY=$PINCTL_SANDBOX_DIR/host/$KEY_PAIR.pem
HOSTS_DIR=$PINCTL_SANDBOX_DIR/hosts
# The extra hosts' numbers that this sandbox started, one a line: down, status and reset-host read it.
STARTED=$HOSTS_DIR/started
INVENTORY=$PINCTL_SANDBOX_DIR/inventory.json
VENV=$PINCTL_CACHE_DIR/venv

host_count() {
  local n=${PINCTL_SANDBOX_HOSTS:-1}
  [[ $n =~ ^[1-9][0-9]?$ ]] || die "PINCTL_SANDBOX_HOSTS must be a number of hosts from 1 to 99, got '$n'"
  echo "$n"
}

user_of() { echo "ec2-user$1"; }
user_id_of() { printf '%x\n' $((0x$FIRST_USER_ID + $1 - 1)); }
started_hosts() { cat "$STARTED" 2>/dev/null || true; }

# Host i's daemon is sshd-<i>; its processes (what pinctl started over SSH) are its user's.
stop_host() {
  stop_daemon "sshd-$1"
  kill_user_processes "$(user_of "$1")"
  rm -f "/etc/sudoers.d/pinctl-sandbox-$(user_of "$1")"
  log "stopped host $1 ($(user_of "$1"))"
}

start_host() {
  local i=$1 user dir port_var=HOST${1}_SSH_PORT
  user=$(user_of "$i")
  ensure_ports "$port_var" "HOST${i}_REST_PORT"
  local port=${!port_var}
  dir=$HOSTS_DIR/$i
  mkdir -p "$dir"
  ensure_host_user "$user" "$KEY.pub" "/etc/sudoers.d/pinctl-sandbox-$user"
  write_sshd_config "$dir/sshd_config" "$port" "$dir/ssh_host_ed25519_key" "$RUN_DIR/sshd-$i.pid" "$user"
  start_sshd "sshd-$i" "$dir/sshd_config" "$port"
}

# Each extra user id gets its role (setup-client reads it and edits its trust policy), when moto is up.
seed_roles() {
  local n=$1 i endpoint=http://127.0.0.1:${MOTO_PORT:-0}
  ((n > 1)) || return 0
  if [ -z "${MOTO_PORT:-}" ] || ! port_open "$MOTO_PORT"; then
    log "no moto on ${MOTO_PORT:-(no port)}: the extra user ids' roles are not seeded"
    return 0
  fi
  for ((i = 2; i <= n; i++)); do
    env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE AWS_EC2_METADATA_DISABLED=true "$VENV/bin/python" "$REPO/scripts/sandbox.d/seed_aws.py" \
      --endpoint "$endpoint" --role-only --user "$(user_id_of "$i")" >/dev/null 2>>"$LOG_DIR/seed.log" ||
      die "seeding the role of $(user_id_of "$i") failed (see $LOG_DIR/seed.log)"
  done
}

write_inventory() {
  local n=$1 i ssh_var rest_var key_file=$PINCTL_SANDBOX_DIR/client/$KEY_PAIR.pem
  (
    set +u
    # Host 1 is in the inventory when this sandbox runs it (part 20-host wrote host.env).
    # shellcheck disable=SC1091
    [ -f "$ENV_DIR/host.env" ] && . "$ENV_DIR/host.env"
    printf '%s\n' "${PINCTL_SSH_PORT:-}"
    for ((i = 2; i <= n; i++)); do
      ssh_var=HOST${i}_SSH_PORT rest_var=HOST${i}_REST_PORT
      printf '%s %s %s %s\n' "$(user_id_of "$i")" "$(user_of "$i")" "${!ssh_var}" "${!rest_var}"
    done
  ) | python3 -c '
import json, sys
key_file, first = sys.argv[1], sys.stdin.readline().strip()
entry = lambda uid, user, port, rest: {"userId": uid, "host": "127.0.0.1", "sshPort": int(port), "sshUser": user,
                                       "keyFile": key_file, "restProxyPort": int(rest)}
hosts = [entry(sys.argv[2], "ec2-user", first, 8082)] if first else []
hosts += [entry(*line.split()) for line in sys.stdin if line.strip()]
print(json.dumps(hosts, indent=2))' "$key_file" "$FIRST_USER_ID" | write_if_changed "$INVENTORY"
}

part_up() {
  local n i
  n=$(host_count)
  mkdir -p "$HOSTS_DIR"
  # Fewer hosts asked for than an earlier `up` started: stop the ones above N.
  for i in $(started_hosts); do ((i <= n)) || stop_host "$i"; done
  for ((i = 2; i <= n; i++)); do start_host "$i"; done
  seq 2 "$n" | write_if_changed "$STARTED"
  seed_roles "$n"
  write_inventory "$n"
  write_env hosts PINCTL_INVENTORY "$INVENTORY"
}

part_down() {
  local i
  for i in $(started_hosts); do stop_host "$i"; done
  rm -f "$STARTED"
}

part_status() {
  local i
  for i in $(started_hosts); do is_running "sshd-$i" || return 1; done
  # Asked for another number of hosts than run: not up as asked (`up` adds or stops hosts). Without extra hosts
  # the part has nothing to run, so a sandbox from before this part counts as up (4: idle, not "running").
  [ -z "${PINCTL_SANDBOX_HOSTS:-}" ] || [ "$(started_hosts | wc -l)" -eq $(($(host_count) - 1)) ] || return 1
  [ -n "$(started_hosts)" ] || return 4
}

part_main "$@"
