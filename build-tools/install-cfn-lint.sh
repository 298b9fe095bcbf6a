#!/usr/bin/env bash
# Installs cfn-lint at the given version into .tmp/cfn-lint (a virtual environment), once.
set -euo pipefail
version="$1"
venv=.tmp/cfn-lint
if [ "$("$venv/bin/cfn-lint" --version 2>/dev/null || true)" = "cfn-lint $version" ]; then
  exit 0
fi
bash "$(dirname "$0")/check-python.sh"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$version"
"$venv/bin/cfn-lint" --version
