#!/usr/bin/env bash
# The second test lane: the construct's unit tests and the synthesis of the example and of every
# integ app, on the newest aws-cdk-lib and constructs that npm serves (users install the newest,
# not our floor), with deprecated APIs as errors (JSII_DEPRECATED=fail).
#
# A scratch copy of the sources in .tmp/newest-cdk gets its own node_modules with the newest
# aws-cdk-lib and constructs, and the packages that must share them (integ-tests-alpha, cdk-nag);
# everything else resolves from the project's node_modules one level up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lane="$root/.tmp/newest-cdk"
started=$(date +%s)

rm -rf "$lane"
mkdir -p "$lane/.tmp" "$lane/integ"
cp -r "$root/src" "$root/test" "$root/examples" "$root/local" "$root/assets" "$root/tsconfig.json" "$lane/"
rm -rf "$lane/examples/java" "$lane/examples/python" "$lane/examples/go" "$lane/assets/sample-server/node_modules"
ln -s "$root/assets/sample-server/node_modules" "$lane/assets/sample-server/node_modules"
find "$root/integ" -maxdepth 1 -name '*.ts' -exec cp {} "$lane/integ/" \;
cp "$root/integ/tsconfig.json" "$lane/integ/" 2>/dev/null || true
ln -s "$root/.tmp/cfn-lint" "$lane/.tmp/cfn-lint"

integ_tests=$(node -p "require('$root/package.json').devDependencies['@aws-cdk/integ-tests-alpha']")
cdk_nag=$(node -p "require('$root/package.json').devDependencies['cdk-nag']")
cd "$lane"
echo '{ "name": "newest-cdk-lane", "private": true }' > package.json
npm install --no-audit --no-fund --no-package-lock --loglevel=error \
  aws-cdk-lib@latest constructs@latest "@aws-cdk/integ-tests-alpha@$integ_tests" "cdk-nag@$cdk_nag"
cdk=$(node -p "require('aws-cdk-lib/package.json').version")
constructs=$(node -p "require('constructs/package.json').version")
echo "newest aws-cdk-lib lane: aws-cdk-lib $cdk, constructs $constructs (floor: $(node -p "require('$root/package.json').devDependencies['aws-cdk-lib']"))"

export JSII_DEPRECATED=fail
# The construct's own tests: everything but the sample server's process tests, the benchmarks,
# the bindings, the packaging and the tests that read the compiled lib/ or the integ snapshots.
# The generated configurations run with fewer cases here (the main lane runs the full number).
unit_tests=(auto-scaling custom-domain cycles environment example health-check imports instance-size
  invalid-catalogue invalid-properties monitoring nag networking observability properties web-service)
export FC_RUNS=${NEWEST_FC_RUNS:-200} FC_INVALID_RUNS=${NEWEST_FC_RUNS:-200}
config=$(node -e "
  const jest = require('$root/package.json').jest;
  console.log(JSON.stringify({ ...jest, rootDir: '$lane', collectCoverage: false, reporters: ['default'],
    testMatch: ['<rootDir>/test/@(' + process.argv[1] + ').test.ts'] }));" "$(IFS='|'; echo "${unit_tests[*]}")")
"$root/node_modules/.bin/jest" --ci --forceExit --config "$config" 2>&1 | tee "$lane/jest.log" | grep -E '^(PASS|FAIL)|Tests:|DeprecationError|deprecated' || true
summary=$(grep -E '^Tests:' "$lane/jest.log" | tail -1)
[[ "$summary" == *" passed"* && "$summary" != *"failed"* ]] || { echo "newest aws-cdk-lib lane: unit tests failed: $summary" >&2; tail -80 "$lane/jest.log" >&2; exit 1; }

# Every integ app synthesizes, and nothing it prints is a deprecation.
apps=0
for app in "$lane"/integ/integ.*.ts; do
  out=$(mktemp -d)
  if ! log=$(CDK_OUTDIR="$out" node -r "$root/node_modules/ts-node/register/transpile-only" "$app" 2>&1); then
    echo "newest aws-cdk-lib lane: $(basename "$app") failed to synthesize:" >&2; echo "$log" >&2; exit 1
  fi
  if grep -qi 'deprecat' <<<"$log"; then
    echo "newest aws-cdk-lib lane: $(basename "$app") printed a deprecation:" >&2; echo "$log" >&2; exit 1
  fi
  [ -n "$(ls "$out"/*.template.json 2>/dev/null)" ] || { echo "newest aws-cdk-lib lane: $(basename "$app") wrote no template" >&2; exit 1; }
  rm -rf "$out"
  apps=$((apps + 1))
done
echo "newest aws-cdk-lib lane: aws-cdk-lib $cdk, constructs $constructs, JSII_DEPRECATED=fail: unit tests $(echo "${summary#Tests:}" | xargs); $apps integ apps synthesized; $(( $(date +%s) - started )) s"
