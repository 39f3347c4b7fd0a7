#!/usr/bin/env bash
# The hub scaled out on loopback, as a platform runs it: three RabbitMQ nodes joined into one
# cluster, a private PostgreSQL, and two instances of each process group (intake; core), each group
# behind a load balancer (tests/Benchmarks/Cluster). On a fresh Debian machine with only the .NET SDK
# it installs RabbitMQ and PostgreSQL from Debian's packages if they are missing
# (infra/private-services.sh). It runs until Ctrl-C or SIGTERM, or for --seconds N, and stops
# everything it started, also when it fails. --check N sends N certificates through the balancer,
# waits until each is in both inboxes, and stops. --instances N sets the instances per group.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export IHUB_WITHOUT_BROKER=1
source "$repo/infra/private-services.sh"

dotnet build tests/Benchmarks -c Release --nologo -v q
dotnet run -c Release --no-build --project tests/Benchmarks -- cluster "$@"
