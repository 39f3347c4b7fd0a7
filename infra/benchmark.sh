#!/usr/bin/env bash
# The pipeline benchmark (tests/Benchmarks/Pipeline): starts the private broker and PostgreSQL like
# the test command, builds the Release hub and runs the benchmark against it. The report is printed and kept
# in TestResults/pipeline-benchmark.md. Extra arguments go to the benchmark, e.g.
#   bash infra/benchmark.sh --certificates 5000 --clients 64 --persons 200 --latency-seconds 30
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source "$repo/infra/private-services.sh"

dotnet build tests/Benchmarks -c Release --nologo -v q
dotnet run -c Release --no-build --project tests/Benchmarks -- pipeline "$@"
