#!/usr/bin/env bash
# Part 20: the EC2-like host. A second, private OpenSSH sshd on 127.0.0.1:$SSH_PORT (config, host key and pid
# file under $PINCTL_SANDBOX_DIR) that lets in only ec2-user, with the key pair's public key (made by 10-moto)
# authorized and passwordless sudo. The system sshd and /etc/ssh are not touched.
set -euo pipefail
# shellcheck source=scripts/sandbox.d/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/sandbox.d/host-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../host-lib.sh"

HOST_USER=ec2-user
KEY_PAIR=12b287eedf6d-key-pair
KEY=$PINCTL_SANDBOX_DIR/host/$KEY_PAIR.pem
HOST_DIR=$PINCTL_SANDBOX_DIR/host
CLIENT_DIR=$PINCTL_SANDBOX_DIR/client
SSHD_CONFIG=$HOST_DIR/sshd_config
SUDOERS=/etc/sudoers.d/pinctl-sandbox

part_up() {
  ensure_ports SSH_PORT
  mkdir -p "$HOST_DIR" "$CLIENT_DIR"
  ensure_host_user "$HOST_USER" "$KEY.pub" "$SUDOERS"
  write_sshd_config "$SSHD_CONFIG" "$SSH_PORT" "$HOST_DIR/ssh_host_ed25519_key" "$RUN_DIR/sshd.pid" "$HOST_USER"
  start_sshd sshd "$SSHD_CONFIG" "$SSH_PORT"

  write_env host \
    PINCTL_HOST 127.0.0.1 \
    PINCTL_SSH_PORT "$SSH_PORT" \
    PINCTL_SSH_USER "$HOST_USER" \
    PINCTL_KEY_FILE "$CLIENT_DIR/$KEY_PAIR.pem" \
    PINCTL_KNOWN_HOSTS "$CLIENT_DIR/known_hosts" \
    PINCTL_AUTH plaintext \
    PINCTL_SANDBOX_DIR "$PINCTL_SANDBOX_DIR"
}

part_down() { stop_daemon sshd; }

part_status() { is_running sshd; }

part_main "$@"
