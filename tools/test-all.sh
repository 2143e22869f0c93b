#!/usr/bin/env bash
# The whole test suite: the fast tier, then the stand tier (local stand, real services, Molecule).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
npx vitest run --project unit
npx vitest run --project stand
