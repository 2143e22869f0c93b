#!/usr/bin/env bash
# The main job, end to end on one machine: set up, build, bring up the local stand, deploy the
# cluster, run the replication check and print the cluster's status.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
npm run -s build
npm run -s lint
npm run -s stand:up
npm run -s deploy
npm run -s play -- replication-check
npm run -s status
