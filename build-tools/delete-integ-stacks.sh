#!/usr/bin/env bash
# Deletes the integ tests' stacks that are still in the account (integ-runner destroys what it
# deployed, but not when the runner itself was cancelled or crashed): the test stacks, whose names
# start with the given prefix, and their assertion stacks (…DeployAssert…). Waits for each.
set -euo pipefail
prefix="$1"
live='CREATE_COMPLETE CREATE_FAILED ROLLBACK_COMPLETE ROLLBACK_FAILED UPDATE_COMPLETE UPDATE_ROLLBACK_COMPLETE UPDATE_ROLLBACK_FAILED DELETE_FAILED IMPORT_COMPLETE IMPORT_ROLLBACK_COMPLETE'
# shellcheck disable=SC2086
stacks=$(aws cloudformation list-stacks --stack-status-filter $live \
  --query "StackSummaries[?starts_with(StackName, '$prefix') || contains(StackName, 'DeployAssert')].StackName" --output text)
if [ -z "$stacks" ] || [ "$stacks" = "None" ]; then
  echo "no integ stacks left"
  exit 0
fi
# Assertion stacks first: they read the test stacks' outputs.
ordered=$(printf '%s\n' $stacks | sort -t: -k1,1 | awk '/DeployAssert/ { print; next } { rest = rest $0 "\n" } END { printf "%s", rest }')
for stack in $ordered; do
  echo "deleting $stack"
  aws cloudformation delete-stack --stack-name "$stack"
  aws cloudformation wait stack-delete-complete --stack-name "$stack"
done
