#!/usr/bin/env bash
# Debian packages the sandbox needs: its own sshd (openssh-server), sudo for ec2-user,
# the Debian aws CLI (an independent client for checks against moto) and process/port tools.
# Installs only what is missing; `apt-get update` only then. Never leaves the system sshd running.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(openssh-server openssh-sftp-server openssh-client sudo awscli curl procps psmisc iproute2)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=()
for p in "${packages[@]}"; do
  if installed "$p"; then echo "ok: $p"; else missing+=("$p"); fi
done
# Kafka and the host's tools need a JRE; the machine normally has Java 17 already.
if command -v java >/dev/null 2>&1; then echo "ok: java ($(command -v java))"; else missing+=(openjdk-17-jre-headless); fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
# openssh-server's postinst would start the system sshd on port 22: forbid service starts meanwhile.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Belt and braces: if a system sshd got started anyway, stop it (only the one from its own pid file).
if [ -s /run/sshd.pid ] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null; then
  echo "installing: stopping the system sshd that the package started"
  /etc/init.d/ssh stop >/dev/null 2>&1 || kill "$(cat /run/sshd.pid)"
fi
for p in "${missing[@]}"; do
  case $p in openjdk-*) command -v java >/dev/null || { echo "failed: java" >&2; exit 1; } ;; *) installed "$p" || { echo "failed: $p" >&2; exit 1; } ;; esac
done
echo "ok: installed ${missing[*]}"
