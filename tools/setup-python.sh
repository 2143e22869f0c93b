#!/usr/bin/env bash
# Creates the project's Python environment (.venv) from the pinned, hash-checked requirements.txt:
# ansible (with its bundled collections), ansible-lint and Molecule. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "python env: up to date (.venv)"
  exit 0
fi
python3 -m venv .venv
# Every package pinned with its wheels' sha256 (npm run gen:requirements-hashes); nothing else.
.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r requirements.txt
echo "$want" > "$stamp"
# The whole output read, then its first line: `| head -1` closed the pipe early and ansible
# printed a Broken pipe traceback on a newcomer's first screen.
version=$(.venv/bin/ansible --version)
echo "python env: ready (${version%%$'\n'*})"
