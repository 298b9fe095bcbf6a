#!/usr/bin/env bash
# Checks every GitHub workflow with actionlint, built once from the Go module proxy at the
# pinned version into .tmp/go (no binary downloads from release pages).
set -euo pipefail
version="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tmp/go/bin/actionlint"
if ! [ -x "$bin" ] || ! "$bin" -version | head -1 | grep -qx "v$version"; then
  GOBIN="$root/.tmp/go/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@v$version"
fi
cd "$root"
"$bin" -no-color .github/workflows/*.yml
echo "actionlint v$version: $(ls .github/workflows/*.yml | wc -l) workflows, no findings"
