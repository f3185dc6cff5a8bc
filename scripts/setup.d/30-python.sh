#!/usr/bin/env bash
# Python venv for the sandbox's fake AWS: moto in server mode (boto3 comes with it, used by seed_aws.py).
set -euo pipefail
MOTO_VERSION=5.2.5
cache=${PINCTL_CACHE_DIR:-$HOME/.cache/pinctl}
venv=$cache/venv
py=${PINCTL_PYTHON:-python3}

have=$(cat "$venv/.moto-version" 2>/dev/null || true)
if [ "$have" = "$MOTO_VERSION" ] && [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c '' 2>/dev/null; then
  echo "ok: moto $MOTO_VERSION ($venv)"
  exit 0
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c '' 2>/dev/null; then
  echo "installing: python venv $venv"
  rm -rf "$venv"
  mkdir -p "$cache"
  "$py" -m venv "$venv" || { echo "failed: '$py -m venv' (set PINCTL_PYTHON to a Python ≥ 3.9 with venv, or apt-get install python3-venv)" >&2; exit 1; }
fi
echo "installing: moto[server]==$MOTO_VERSION"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
"$venv/bin/python" -c 'import moto, boto3; print(moto.__version__)' | grep -qx "$MOTO_VERSION"
echo "$MOTO_VERSION" >"$venv/.moto-version"
echo "ok: moto $MOTO_VERSION ($venv)"
