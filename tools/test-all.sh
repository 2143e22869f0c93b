#!/usr/bin/env bash
# The whole test suite: the fast tier, the compiler tier, then the stand tier (local stand, real
# services, faults, Molecule).
# The stand is taken down at the end whatever happened, so nothing of the suite keeps running.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
npm run test:unit
npx vitest run --project compiler
trap 'npx tsx stand/cli.ts down >/dev/null 2>&1 || true' EXIT
npx vitest run --project stand
