#!/usr/bin/env bash
# The main job, end to end on one machine: set up, build the base image, bring up the local stand,
# build, deploy the cluster, check replication and print the cluster's status. Each step prints its
# time as it ends; everything the steps print goes to one log file, whose path is printed. Every
# step is bounded; running the command again after a failure or Ctrl-C goes on from where it stood
# (each step is idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=${PGHA_MAIN_LOG:-$PWD/main.log}
: >"$LOG"
echo "npm run main: the full output goes to $LOG"
start=$SECONDS
current=
pid=

interrupted() {
  [ -n "$pid" ] && kill -TERM -- -"$pid" 2>/dev/null
  echo
  echo "interrupted during '$current'. Run 'npm run main' again: it goes on from there."
  exit 130
}
trap interrupted INT TERM

# step NAME LIMIT_SECONDS COMMAND...: runs COMMAND with its output in the log, bounded by LIMIT.
step() {
  local name=$1 limit=$2 t0=$SECONDS rc=0
  shift 2
  current=$name
  printf '%-8s ' "$name"
  printf '\n=== %s: %s (%s)\n' "$name" "$*" "$(date -Is)" >>"$LOG"
  # timeout leads a process group of its own: Ctrl-C reaches it through the trap above.
  timeout -k 30 "$limit" "$@" >>"$LOG" 2>&1 &
  pid=$!
  wait "$pid" || rc=$?
  pid=
  if [ "$rc" -eq 0 ]; then
    printf 'done in %d s\n' $((SECONDS - t0))
    return
  fi
  printf 'FAILED after %d s\n' $((SECONDS - t0))
  if [ "$rc" -eq 124 ]; then
    echo "  '$name' did not finish within $limit s."
  else
    # What went wrong, in a few lines: Ansible's failure messages, else the step's last lines.
    node tools/main-failure.mjs "$LOG" "$name" 2>/dev/null || tail -n 15 "$LOG"
  fi
  echo "The full output: $LOG. Once mended, 'npm run main' again goes on from there."
  exit 1
}

step setup 1800 bash tools/setup.sh
step base 1500 npx tsx stand/cli.ts base
step stand 600 npx tsx stand/cli.ts up
step build 600 npm run -s build
step lint 900 npm run -s lint
step deploy 3600 npx tsx stand/cli.ts play site
step checks 600 npx tsx stand/cli.ts play replication-check
current=status
npx tsx stand/cli.ts cluster-status | tee -a "$LOG"
echo "total: $((SECONDS - start)) s"
