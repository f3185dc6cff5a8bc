# shellcheck shell=bash
# What makes one EC2-like host of the sandbox: a Unix user that lets the key pair's key in (with passwordless
# sudo, as ec2-user has on EC2) and a private sshd on a loopback port that lets in only that user. Sourced,
# after lib.sh, by parts/20-host.sh (the host) and parts/25-hosts.sh (the extra hosts of PINCTL_SANDBOX_HOSTS).
#
#   install_file MODE OWNER PATH    PATH gets stdin as content, then mode and owner; rewritten only when it differs
#   ensure_host_user USER PUBKEY SUDOERS   create USER if missing, unlock it for key logins, authorize PUBKEY,
#                                   and grant it sudo without a password in the file SUDOERS (under /etc/sudoers.d)
#   write_sshd_config CONFIG PORT HOSTKEY PIDFILE USER   an sshd config on 127.0.0.1:PORT letting in only USER;
#                                   HOSTKEY is generated when missing
#   start_sshd NAME CONFIG PORT     start (once) the sshd of CONFIG as daemon NAME; returns when it speaks SSH

install_file() {
  local mode=$1 owner=$2 path=$3 tmp
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$path"; then rm -f "$tmp"; else chmod "$mode" "$tmp"; chown "$owner" "$tmp"; mv "$tmp" "$path"; fi
  chmod "$mode" "$path"; chown "$owner" "$path"
}

ensure_host_user() {
  local user=$1 pubkey=$2 sudoers=$3 home
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$user"
    log "created user $user"
  fi
  # useradd leaves the account locked ('!'), and sshd refuses locked accounts even for key logins.
  case $(getent shadow "$user" | cut -d: -f2) in '!'*) usermod -p '*' "$user" ;; esac
  home=$(getent passwd "$user" | cut -d: -f6)
  # StrictModes: the home and .ssh must not be writable by others.
  chmod go-w "$home"
  install -d -m 0700 -o "$user" -g "$user" "$home/.ssh"
  [ -s "$pubkey" ] || die "no key pair public key at $pubkey: part 10-moto makes it, run 'scripts/sandbox up'"
  install_file 0600 "$user:$user" "$home/.ssh/authorized_keys" <"$pubkey"

  command -v sudo >/dev/null || die "sudo is not installed: run scripts/setup.sh"
  if [ "$(cat "$sudoers" 2>/dev/null)" != "$user ALL=(ALL) NOPASSWD:ALL" ]; then
    echo "$user ALL=(ALL) NOPASSWD:ALL" | install_file 0440 root:root "$sudoers"
    visudo -cqf "$sudoers" || { rm -f "$sudoers"; die "sudoers file rejected by visudo"; }
  fi
}

write_sshd_config() {
  local config=$1 port=$2 hostkey=$3 pidfile=$4 user=$5
  [ -s "$hostkey" ] || ssh-keygen -q -t ed25519 -N '' -C pinctl-sandbox-host -f "$hostkey"
  install_file 0644 root:root "$config" <<CONF
# pinctl sandbox host: a private sshd, not the system one (written by scripts/sandbox.d/host-lib.sh)
Port $port
ListenAddress 127.0.0.1
HostKey $hostkey
PidFile $pidfile
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin no
AllowUsers $user
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

start_sshd() {
  local name=$1 config=$2 port=$3 i
  [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd missing: run scripts/setup.sh (openssh-server)"
  if ! is_running "$name"; then
    install -d -m 0755 /run/sshd   # sshd's privilege-separation directory
    /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"
  fi
  # -D: stay in the foreground so the pid file names sshd itself; -e: log to the log file.
  ensure_daemon "$name" "$name" "$port" 10 /usr/sbin/sshd -D -e -f "$config"
  # Ready = it speaks SSH (hands out its host key), not just an open port.
  for ((i = 0; i < 100; i++)); do
    ssh-keyscan -T 2 -p "$port" 127.0.0.1 >/dev/null 2>&1 && break
    is_running "$name" || break
    sleep 0.1
  done
  if ((i == 100)) || ! is_running "$name"; then
    tail -n 20 "$LOG_DIR/$name.log" >&2
    die "$name did not answer on port $port"
  fi
}
