#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs: Debian packages for the local stand, npm packages,
# the Python environment and the secrets file. Idempotent; needs root for apt.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBS=(systemd-container debootstrap apt-cacher-ng openssh-client iproute2 python3-venv ruby vagrant)
missing=()
for p in "${DEBS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packaged apt-cacher-ng service is not used: the stand runs its own, bound to its bridge.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl disable --now apt-cacher-ng >/dev/null 2>&1 || true; fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash tools/setup-python.sh
npx tsx ops/cli.ts secrets >/dev/null
