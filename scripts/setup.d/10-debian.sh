#!/usr/bin/env bash
# Debian packages the sandbox needs: its own sshd (openssh-server), sudo for ec2-user,
# the Debian aws CLI (an independent client for checks against moto) and process/port tools.
# Installs only what is missing; `apt-get update` only then. Never leaves the system sshd running.
set -euo pipefail
# shellcheck source=scripts/setup.d/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

missing_packages openssh-server openssh-sftp-server openssh-client sudo awscli curl procps psmisc iproute2
# Kafka and the host's tools need a JRE; the machine normally has Java 17 already.
if command -v java >/dev/null 2>&1; then echo "ok: java ($(command -v java))"; else MISSING+=(openjdk-17-jre-headless); fi
[ ${#MISSING[@]} -eq 0 ] && exit 0
missing=("${MISSING[@]}")

# openssh-server's postinst would start the system sshd on port 22: apt_install forbids service starts.
apt_install "${missing[@]}"
# Belt and braces: if a system sshd got started anyway, stop it (only the one from its own pid file).
if [ -s /run/sshd.pid ] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null; then
  echo "installing: stopping the system sshd that the package started"
  /etc/init.d/ssh stop >/dev/null 2>&1 || kill "$(cat /run/sshd.pid)"
fi
for p in "${missing[@]}"; do
  case $p in openjdk-*) command -v java >/dev/null || { echo "failed: java" >&2; exit 1; } ;; *) installed "$p" || { echo "failed: $p" >&2; exit 1; } ;; esac
done
echo "ok: installed ${missing[*]}"
