#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs: Debian packages for the local stand, npm packages,
# the Python environment and the secrets file. Idempotent; needs root for apt.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBS=(systemd-container debootstrap nginx-light openssh-client iproute2 python3-venv ruby vagrant)
missing=()
for p in "${DEBS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq -o Acquire::http::Timeout=30 -o Acquire::Retries=3
  # Packaged services (nginx's on port 80) are not started by the install: the stand runs its own
  # nginx, bound to its bridge. A policy-rc.d the machine already has is left as it is.
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# tools/setup.sh: no service starts while it installs packages\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Acquire::http::Timeout=30 -o Acquire::Retries=3 "${missing[@]}" >/dev/null || status=$?
  [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ "$status" -eq 0 ] || { echo "setup: apt-get install ${missing[*]} failed (exit $status)" >&2; exit "$status"; }
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash tools/setup-python.sh
npx tsx ops/cli.ts secrets >/dev/null
