#!/usr/bin/env bash
# The whole test suite: the fast tier, then the compiler tier beside the stand tier (local stand,
# real services, faults, Molecule).
# The compiler tier builds scratch projects and never touches the stand or out/, so it runs in the
# background, one file at a time, while the stand tier's first files (base image, fresh deploy)
# wait mostly on apt and dpkg; its output is printed when it ends. The stand's timing-sensitive
# files (operations, faults) start well after it has finished.
# The stand is taken down at the end whatever happened, so nothing of the suite keeps running.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
npm run test:unit
compiler_log=$(mktemp /tmp/pgha-compiler-tier.XXXXXX)
# A process group of its own, so that an interrupted suite ends all of it.
setsid npx vitest run --project compiler --maxWorkers=1 >"$compiler_log" 2>&1 &
compiler_pid=$!
trap 'kill -- -"$compiler_pid" 2>/dev/null || true; npx tsx stand/cli.ts down >/dev/null 2>&1 || true' EXIT
stand_report=$(mktemp /tmp/pgha-stand-report.XXXXXX)
stand_status=0
npx vitest run --project stand --reporter=default --reporter=json --outputFile.json="$stand_report" || stand_status=$?
compiler_status=0
wait "$compiler_pid" || compiler_status=$?
echo "=== compiler tier (ran beside the stand tier) ==="
cat "$compiler_log"
rm -f "$compiler_log"
# Last, so that a log read from its end says which stand tests failed and why.
echo "=== stand tier: failures ==="
npx tsx tools/failure-summary.ts "$stand_report"
rm -f "$stand_report"
echo "compiler tier: exit $compiler_status; stand tier: exit $stand_status"
[ "$compiler_status" -eq 0 ] && [ "$stand_status" -eq 0 ]
