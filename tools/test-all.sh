#!/usr/bin/env bash
# The whole test suite: the fast tier, then the stand tier (local stand, real services, Molecule).
# The stand is taken down at the end whatever happened, so nothing of the suite keeps running.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
npx vitest run --project unit
trap 'npx tsx stand/cli.ts down >/dev/null 2>&1 || true' EXIT
npx vitest run --project stand
