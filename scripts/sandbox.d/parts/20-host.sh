#!/usr/bin/env bash
# Part 20: the EC2-like host. A second, private OpenSSH sshd on 127.0.0.1:$SSH_PORT (config, host key and pid
# file under $PINCTL_SANDBOX_DIR) that lets in only ec2-user, with the key pair's public key (made by 10-moto)
# authorized and passwordless sudo. The system sshd and /etc/ssh are not touched.
set -euo pipefail
# shellcheck source=scripts/sandbox.d/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HOST_USER=ec2-user
KEY_PAIR=12b287eedf6d-key-pair
KEY=$PINCTL_SANDBOX_DIR/host/$KEY_PAIR.pem
HOST_DIR=$PINCTL_SANDBOX_DIR/host
CLIENT_DIR=$PINCTL_SANDBOX_DIR/client
SSHD_CONFIG=$HOST_DIR/sshd_config
SUDOERS=/etc/sudoers.d/pinctl-sandbox

# install_file MODE OWNER PATH: PATH gets stdin as content, then mode and owner; rewritten only when it differs.
install_file() {
  local mode=$1 owner=$2 path=$3 tmp
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$path"; then rm -f "$tmp"; else chmod "$mode" "$tmp"; chown "$owner" "$tmp"; mv "$tmp" "$path"; fi
  chmod "$mode" "$path"; chown "$owner" "$path"
}

ensure_user() {
  if ! id -u "$HOST_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$HOST_USER"
    log "created user $HOST_USER"
  fi
  # useradd leaves the account locked ('!'), and sshd refuses locked accounts even for key logins.
  case $(getent shadow "$HOST_USER" | cut -d: -f2) in '!'*) usermod -p '*' "$HOST_USER" ;; esac
  local home
  home=$(getent passwd "$HOST_USER" | cut -d: -f6)
  # StrictModes: the home and .ssh must not be writable by others.
  chmod go-w "$home"
  install -d -m 0700 -o "$HOST_USER" -g "$HOST_USER" "$home/.ssh"
  [ -s "$KEY.pub" ] || die "no key pair public key at $KEY.pub: part 10-moto makes it, run 'scripts/sandbox up'"
  install_file 0600 "$HOST_USER:$HOST_USER" "$home/.ssh/authorized_keys" <"$KEY.pub"

  command -v sudo >/dev/null || die "sudo is not installed: run scripts/setup.sh"
  if [ "$(cat "$SUDOERS" 2>/dev/null)" != "$HOST_USER ALL=(ALL) NOPASSWD:ALL" ]; then
    echo "$HOST_USER ALL=(ALL) NOPASSWD:ALL" | install_file 0440 root:root "$SUDOERS"
    visudo -cqf "$SUDOERS" || { rm -f "$SUDOERS"; die "sudoers file rejected by visudo"; }
  fi
}

write_sshd_config() {
  [ -s "$HOST_DIR/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -C pinctl-sandbox-host -f "$HOST_DIR/ssh_host_ed25519_key"
  install_file 0644 root:root "$SSHD_CONFIG" <<CONF
# pinctl sandbox host: a private sshd, not the system one (written by scripts/sandbox.d/parts/20-host.sh)
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $HOST_DIR/ssh_host_ed25519_key
PidFile $RUN_DIR/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin no
AllowUsers $HOST_USER
StrictModes yes
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
# Tests open many connections at once.
MaxStartups 100:30:200
MaxSessions 50
CONF
}

part_up() {
  [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd missing: run scripts/setup.sh (openssh-server)"
  ensure_ports SSH_PORT
  mkdir -p "$HOST_DIR" "$CLIENT_DIR"
  ensure_user
  write_sshd_config

  if ! is_running sshd; then
    install -d -m 0755 /run/sshd   # sshd's privilege-separation directory
    /usr/sbin/sshd -t -f "$SSHD_CONFIG" || die "sshd rejects $SSHD_CONFIG"
  fi
  # -D: stay in the foreground so the pid file names sshd itself; -e: log to the log file.
  ensure_daemon sshd sshd "$SSH_PORT" 10 /usr/sbin/sshd -D -e -f "$SSHD_CONFIG"
  # Ready = it speaks SSH (hands out its host key), not just an open port.
  local i
  for ((i = 0; i < 100; i++)); do
    ssh-keyscan -T 2 -p "$SSH_PORT" 127.0.0.1 >/dev/null 2>&1 && break
    is_running sshd || break
    sleep 0.1
  done
  if ((i == 100)) || ! is_running sshd; then
    tail -n 20 "$LOG_DIR/sshd.log" >&2
    die "sshd did not answer on port $SSH_PORT"
  fi

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
