#!/usr/bin/env bash
# The test command: on a fresh Debian machine with only the .NET SDK it installs what the tests need
# if it is missing, starts a private RabbitMQ broker and PostgreSQL on 127.0.0.1
# (infra/private-services.sh), runs every test against them, and stops them again, also when the
# tests fail. Extra arguments go to `dotnet test` (e.g. --filter ...).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source "$repo/infra/private-services.sh"

results="$repo/TestResults"
rm -rf "$results"
set +e
# A hung test is killed after 5 minutes and reported, so a run never outlives the CI limit.
dotnet test IntegrationHub.sln --nologo --blame-hang-timeout 5m --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$base/test.out"
test_status=${PIPESTATUS[0]}
set -e

# One closing line over all test projects.
sum() { grep -Eo "$1: +[0-9]+" "$base/test.out" | awk '{ s += $2 } END { print s + 0 }'; }
# CI keeps only the end of the output, so the failures are repeated here: each failed test with the
# first lines of its message and stack.
awk '/^ +Failed [A-Za-z]/ { show = 1; shown = 0 }
     /^ +(Passed|Skipped) [A-Za-z]/ || /^Test Run / { show = 0 }
     show && shown++ < 25' "$base/test.out"
echo "tests: $(sum Passed) passed, $(sum Failed) failed"
exit "$test_status"
