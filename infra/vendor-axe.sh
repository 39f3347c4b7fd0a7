#!/usr/bin/env bash
# Regenerates the vendored axe-core (MPL-2.0) the browser tests inject into every page, from npm.
# The test machine has only the .NET SDK, so the file is kept in the repository.
set -euo pipefail
version="${1:-4.14.1}"
target="$(cd "$(dirname "$0")/.." && pwd)/tests/Pages.Tests/Accessibility"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "axe-core@$version" >/dev/null && tar xzf "axe-core-$version.tgz")
cp "$work/package/axe.min.js" "$target/axe.min.js"
cp "$work/package/LICENSE" "$target/axe-LICENSE.txt"
echo "axe-core $version -> $target"
