#!/usr/bin/env bash
# The build's one non-Node prerequisite: Python 3.9 or later with venv (cfn-lint is installed into
# .tmp/cfn-lint). Run first by the build (pre-compile) and by cfn-lint:install, so that a machine
# without it stops at once with one line that says what to install.
set -euo pipefail
if ! command -v python3 > /dev/null; then
  echo "prerequisite missing: python3 is not installed; the build needs Python 3.9 or later with venv (Debian/Ubuntu: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' 2> /dev/null; then
  echo "prerequisite missing: $(python3 --version 2>&1) lacks venv/ensurepip or is older than 3.9; the build needs Python 3.9 or later with venv (Debian/Ubuntu: apt-get install python3-venv)" >&2
  exit 1
fi
