#!/usr/bin/env bash
# Runs the test command (infra/test.sh, with its own private broker and PostgreSQL each time) N
# times in a row and counts the runs that passed, e.g.
#   bash infra/repeat.sh 10 --filter FullyQualifiedName~FaultToleranceTests
# Each run's output is kept in TestResults/repeat/run-K.log, and what it left in TestResults
# (the fault tests' process logs) in TestResults/repeat/run-K/. Exits non-zero if any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."
# The tests on a private three-node RabbitMQ cluster run here, not in CI (ClusterFactAttribute).
export IHUB_CLUSTER_TESTS=${IHUB_CLUSTER_TESTS:-1}
runs=${1:?usage: infra/repeat.sh N [dotnet test arguments]}
shift
# infra/test.sh empties TestResults on each run, so the logs wait outside it until the end.
kept=$(mktemp -d)
passed=0
for k in $(seq 1 "$runs"); do
  start=$(date +%s)
  if bash infra/test.sh "$@" > "$kept/run-$k.log" 2>&1; then
    passed=$((passed + 1))
    outcome=passed
  else
    outcome=FAILED
  fi
  # What the run left (fault-test process logs among it) goes with its log.
  [ -d TestResults ] && cp -r TestResults "$kept/run-$k"
  echo "[repeat] run $k of $runs: $outcome in $(( $(date +%s) - start )) s ($(grep -E '^tests: ' "$kept/run-$k.log" | tail -1))"
done
mkdir -p TestResults && rm -rf TestResults/repeat && mv "$kept" TestResults/repeat
echo "[repeat] $passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
