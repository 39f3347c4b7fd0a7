using System.Text.Json.Nodes;
using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

/// <summary>
/// Certificates for the validator agreement test: each named mutation of the example, valid or
/// not, on each of several valid variants of it. The mutations walk the profile rule by rule; the
/// variants make sure a verdict does not hang on one detail of the example.
/// </summary>
public static class AgreementCorpus
{
    public sealed record Case(string Mutation, string Variant, string Json);

    private const int Composition = 0, Patient = 1, Practitioner = 2, Organization = 3, Condition = 4, Observation = 5;
    private const string Icpc2 = "urn:oid:2.16.578.1.12.4.1.1.7170", Icd10 = "urn:oid:2.16.578.1.12.4.1.1.7110";
    private const string Fnr = "urn:oid:2.16.578.1.12.4.1.4.1", Dnr = "urn:oid:2.16.578.1.12.4.1.4.2";

    /// <summary>Built on each call: every case gets a bundle identifier of its own.</summary>
    public static IReadOnlyList<Case> All => Build();

    private static List<Case> Build() =>
        [.. from variant in Variants
            from mutation in Mutations
            select new Case(mutation.Name, variant.Name, Apply(variant.Change, mutation.Change))];

    private static string Apply(Action<JsonObject> variant, Action<JsonObject> mutation)
    {
        var bundle = CertificateExamples.LegeerklaeringNode();
        bundle["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}";
        variant(bundle);
        mutation(bundle);
        return bundle.ToJsonString();
    }

    private static JsonObject R(this JsonObject bundle, int entry) => bundle.Resource(entry);

    private static JsonArray Entries(this JsonObject bundle) => bundle["entry"]!.AsArray();

    private static string Url(this JsonObject bundle, int entry) => bundle["entry"]![entry]!["fullUrl"]!.GetValue<string>();

    private static JsonObject Identifier(this JsonObject bundle, int entry, string system) =>
        bundle.R(entry)["identifier"]!.AsArray().Select(i => i!.AsObject()).Single(i => i["system"]!.GetValue<string>() == system);

    private static JsonObject Ref(string url) => new() { ["reference"] = url };

    private static JsonObject SectionOf(this JsonObject bundle, string code) =>
        bundle.R(Composition)["section"]!.AsArray().Select(s => s!.AsObject()).Single(s => s["code"]!["coding"]![0]!["code"]!.GetValue<string>() == code);

    private static JsonObject Div(string text) => new() { ["status"] = "generated", ["div"] = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{text}</div>" };

    /// <summary>A fødselsnummer or D-number with correct check digits for the nine digits given (the individual number is stepped until both check digits exist).</summary>
    public static string WithCheckDigits(string birth6)
    {
        int[] first = [3, 7, 6, 1, 8, 9, 4, 5, 2], second = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        for (var individual = 400; individual < 500; individual++)
        {
            var digits = (birth6 + individual).Select(c => c - '0').ToList();
            var k1 = 11 - (digits.Select((d, i) => d * first[i]).Sum() % 11);
            k1 = k1 == 11 ? 0 : k1;
            if (k1 == 10)
            {
                continue;
            }

            digits.Add(k1);
            var k2 = 11 - (digits.Select((d, i) => d * second[i]).Sum() % 11);
            k2 = k2 == 11 ? 0 : k2;
            if (k2 != 10)
            {
                return string.Concat(digits) + k2;
            }
        }

        throw new InvalidOperationException("No valid number.");
    }

    private static readonly (string Name, Action<JsonObject> Change)[] Variants =
    [
        ("example", _ => { }),
        ("sykmelding", b => b.R(Composition)["type"]!["coding"]![0]!["code"] = "sykmelding"),
        ("other-person", b => b.R(Patient)["identifier"]![0]!["value"] = WithCheckDigits("010180")),
        ("orgnr-only", b => b.R(Organization)["identifier"]!.AsArray().RemoveAt(0)),
        ("half-capacity", b => b.R(Observation)["valueQuantity"]!["value"] = 50),
        ("measures", b => b.R(Composition)["section"]!.AsArray().Add(new JsonObject
        {
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "urn:integration-hub:fhir:certificate-section", ["code"] = "measures" }) },
            ["text"] = Div("Arbeidsrettet oppfølging og behandling."),
        })),
        ("icd10", b => b.R(Condition)["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Icd10, ["code"] = "F10.2" }) }),
    ];

    private static readonly (string Name, Action<JsonObject> Change)[] Mutations =
    [
        // Valid changes: both must accept them.
        ("none", _ => { }),
        ("valid: without organization", b =>
        {
            b.R(Composition)["author"]!.AsArray().RemoveAt(1);
            b.Entries().RemoveAt(Organization);
        }),
        ("valid: percent without its human-readable unit", b => b.R(Observation)["valueQuantity"]!.AsObject().Remove("unit")),
        ("valid: D-number", b => b.R(Patient)["identifier"] = new JsonArray(new JsonObject { ["system"] = Dnr, ["value"] = WithCheckDigits("520391") })),
        ("amended, replacing a certificate the hub never received", b =>
        {
            b.R(Composition)["status"] = "amended";
            b.R(Composition)["relatesTo"] = new JsonArray(new JsonObject { ["code"] = "replaces", ["targetIdentifier"] = new JsonObject { ["system"] = "urn:ietf:rfc:3986", ["value"] = "urn:uuid:5a1c2a7e-3b1d-4c55-9a57-0d2f5b8e9c11" } });
        }),
        ("entered-in-error, replacing a certificate the hub never received", b =>
        {
            b.R(Composition)["status"] = "entered-in-error";
            b.R(Composition)["relatesTo"] = new JsonArray(new JsonObject { ["code"] = "replaces", ["targetIdentifier"] = new JsonObject { ["system"] = "urn:ietf:rfc:3986", ["value"] = "urn:uuid:5a1c2a7e-3b1d-4c55-9a57-0d2f5b8e9c11" } });
        }),
        ("valid: two diagnoses", b =>
        {
            b.Entries().Add(new JsonObject
            {
                ["fullUrl"] = "urn:uuid:0b7a4c2e-9d11-4e0f-8a44-6a1f3e2d5c07",
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Condition",
                    ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Icd10, ["code"] = "F32" }) },
                    ["subject"] = Ref(b.Url(Patient)),
                },
            });
            b.SectionOf("diagnoses")["entry"]!.AsArray().Add(Ref("urn:uuid:0b7a4c2e-9d11-4e0f-8a44-6a1f3e2d5c07"));
        }),
        ("valid: narrative on the composition", b => b.R(Composition)["text"] = Div("Legeerklæring")),
        ("valid: patient birth date and gender", b => { b.R(Patient)["birthDate"] = "1991-03-12"; b.R(Patient)["gender"] = "female"; }),
        ("valid: timestamp in UTC", b => b["timestamp"] = "2026-11-20T08:41:00Z"),

        // The Bundle.
        ("bundle: no identifier", b => b.Remove("identifier")),
        ("bundle: identifier without system", b => b["identifier"]!.AsObject().Remove("system")),
        ("bundle: type collection", b => b["type"] = "collection"),
        ("bundle: no timestamp", b => b.Remove("timestamp")),
        ("bundle: timestamp a date only", b => b["timestamp"] = "2026-11-20"),
        ("bundle: timestamp not a time", b => b["timestamp"] = "i går"),
        ("bundle: entry without fullUrl", b => b["entry"]![Practitioner]!.AsObject().Remove("fullUrl")),
        ("bundle: two entries with one fullUrl", b => b["entry"]![Organization]!["fullUrl"] = b.Url(Practitioner)),
        ("bundle: composition not first", b =>
        {
            var first = b.Entries()[0]!.DeepClone();
            b.Entries().RemoveAt(0);
            b.Entries().Add(first);
        }),
        ("bundle: entry without resource", b => b["entry"]![Organization]!.AsObject().Remove("resource")),
        ("bundle: unknown element", b => b["vedlegg"] = "x"),
        ("bundle: identifier as an array", b => b["identifier"] = new JsonArray(b["identifier"]!.DeepClone())),
        ("bundle: a second patient", b => b.Entries().Add(new JsonObject
        {
            ["fullUrl"] = "urn:uuid:0b7a4c2e-9d11-4e0f-8a44-6a1f3e2d5c09",
            ["resource"] = new JsonObject { ["resourceType"] = "Patient", ["identifier"] = new JsonArray(new JsonObject { ["system"] = Fnr, ["value"] = WithCheckDigits("020285") }) },
        })),
        ("bundle: an empty entry", b => b.Entries().Add(new JsonObject())),

        // The Composition.
        ("composition: status preliminary", b => b.R(Composition)["status"] = "preliminary"),
        ("composition: amended without relatesTo", b => b.R(Composition)["status"] = "amended"),
        ("composition: kind unknown", b => b.R(Composition)["type"]!["coding"]![0]!["code"] = "uforetrygd"),
        ("composition: kind in another system", b => b.R(Composition)["type"]!["coding"]![0]!["system"] = "http://loinc.org"),
        ("composition: no subject", b => b.R(Composition).Remove("subject")),
        ("composition: subject is the practitioner", b => b.R(Composition)["subject"] = Ref(b.Url(Practitioner))),
        ("composition: no author", b => b.R(Composition).Remove("author")),
        ("composition: only the organization as author", b => b.R(Composition)["author"]!.AsArray().RemoveAt(0)),
        ("composition: the practitioner twice as author", b => b.R(Composition)["author"]!.AsArray().Add(Ref(b.Url(Practitioner)))),
        ("composition: no date", b => b.R(Composition).Remove("date")),
        ("composition: date in Norwegian form", b => b.R(Composition)["date"] = "20.11.2026"),
        ("composition: no diagnoses section", b => b.R(Composition)["section"]!.AsArray().RemoveAt(0)),
        ("composition: no work-capacity section", b => b.R(Composition)["section"]!.AsArray().RemoveAt(1)),
        ("composition: unknown section", b => b.SectionOf("functional-assessment")["code"]!["coding"]![0]!["code"] = "prognose"),
        ("composition: diagnoses section twice", b => b.R(Composition)["section"]!.AsArray().Add(b.SectionOf("diagnoses").DeepClone())),
        ("composition: diagnoses section without entries", b => b.SectionOf("diagnoses").Remove("entry")),
        ("composition: diagnoses entry is the observation", b => b.SectionOf("diagnoses")["entry"] = new JsonArray(Ref(b.Url(Observation)))),
        ("composition: work-capacity with two entries", b => b.SectionOf("work-capacity")["entry"]!.AsArray().Add(Ref(b.Url(Condition)))),
        ("composition: functional assessment without text", b => b.SectionOf("functional-assessment").Remove("text")),
        ("composition: script in the narrative", b => b.SectionOf("functional-assessment")["text"] = Div("<script>alert(1)</script>")),
        ("composition: subject that does not resolve", b => b.R(Composition)["subject"] = Ref("urn:uuid:0b7a4c2e-9d11-4e0f-8a44-000000000000")),
        ("composition: unknown element", b => b.R(Composition)["prioritet"] = "høy"),
        ("composition: status a number", b => b.R(Composition)["status"] = 1),

        // The Patient.
        ("patient: no identifier", b => b.R(Patient).Remove("identifier")),
        ("patient: fødselsnummer with a wrong check digit", b => b.R(Patient)["identifier"]![0]!["value"] = "12039140046"),
        ("patient: fødselsnummer of ten digits", b => b.R(Patient)["identifier"]![0]!["value"] = "1203914004"),
        ("patient: fødselsnummer with letters", b => b.R(Patient)["identifier"]![0]!["value"] = "12039I40045"),
        ("patient: only another identifier", b => b.R(Patient)["identifier"]![0]!["system"] = "urn:oid:2.16.578.1.12.4.1.4.3"),
        ("patient: two fødselsnumre", b => b.R(Patient)["identifier"]!.AsArray().Add(new JsonObject { ["system"] = Fnr, ["value"] = WithCheckDigits("010180") })),
        ("patient: D-number under the fødselsnummer system", b => b.R(Patient)["identifier"]![0]!["value"] = WithCheckDigits("520391")),
        ("patient: fødselsnummer under the D-number system", b => b.R(Patient)["identifier"]![0]!["system"] = Dnr),
        ("patient: fødselsnummer with day 32", b => b.R(Patient)["identifier"]![0]!["value"] = WithCheckDigits("320391")),
        ("patient: birth date with month 13", b => b.R(Patient)["birthDate"] = "1991-13-12"),
        ("patient: unknown gender", b => b.R(Patient)["gender"] = "x"),
        ("patient: name as a string", b => b.R(Patient)["name"] = "Kari Nordmann"),

        // The Practitioner.
        ("practitioner: no HPR number", b => b.R(Practitioner)["identifier"]![0]!["system"] = "urn:oid:2.16.578.1.12.4.1.4.9"),
        ("practitioner: HPR number with letters", b => b.R(Practitioner)["identifier"]![0]!["value"] = "91448A9"),
        ("practitioner: HPR number of ten digits", b => b.R(Practitioner)["identifier"]![0]!["value"] = "9144889000"),
        ("practitioner: no identifier", b => b.R(Practitioner).Remove("identifier")),

        // The Organization.
        ("organization: no identifier", b => b.R(Organization).Remove("identifier")),
        ("organization: organisasjonsnummer with a wrong check digit", b => b.Identifier(Organization, "urn:oid:2.16.578.1.12.4.1.4.101")["value"] = "910000129"),
        ("organization: organisasjonsnummer of eight digits", b => b.Identifier(Organization, "urn:oid:2.16.578.1.12.4.1.4.101")["value"] = "91000012"),
        ("organization: HER-id with letters", b => b.R(Organization)["identifier"]!.AsArray().Add(new JsonObject { ["system"] = "urn:oid:2.16.578.1.12.4.1.2", ["value"] = "9O128" })),
        ("organization: only another identifier", b => b.R(Organization)["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:2.16.578.1.12.4.1.4.102", ["value"] = "123" })),

        // The Condition.
        ("condition: no code", b => b.R(Condition).Remove("code")),
        ("condition: ICPC-2 code of two characters", b => b.R(Condition)["code"]!["coding"]![0]!["code"] = "P1"),
        ("condition: ICD-10 code in lower case", b => b.R(Condition)["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Icd10, ["code"] = "f10.2" }) }),
        ("condition: only an unknown code system", b => b.R(Condition)["code"]!["coding"]![0]!["system"] = "http://snomed.info/sct"),
        ("condition: subject is the practitioner", b => b.R(Condition)["subject"] = Ref(b.Url(Practitioner))),
        ("condition: no subject", b => b.R(Condition).Remove("subject")),

        // The work-incapacity Observation.
        ("observation: status preliminary", b => b.R(Observation)["status"] = "preliminary"),
        ("observation: another code", b => b.R(Observation)["code"]!["coding"]![0]!["code"] = "work-capacity"),
        ("observation: no period", b => b.R(Observation).Remove("effectivePeriod")),
        ("observation: period ends before it starts", b => b.R(Observation)["effectivePeriod"]!["end"] = "2026-11-01"),
        ("observation: period without end", b => b.R(Observation)["effectivePeriod"]!.AsObject().Remove("end")),
        ("observation: period start with a time", b => b.R(Observation)["effectivePeriod"]!["start"] = "2026-11-20T10:00:00+01:00"),
        ("observation: effective a date time", b =>
        {
            b.R(Observation).Remove("effectivePeriod");
            b.R(Observation)["effectiveDateTime"] = "2026-11-20";
        }),
        ("observation: no value", b => b.R(Observation).Remove("valueQuantity")),
        ("observation: 150 %", b => b.R(Observation)["valueQuantity"]!["value"] = 150),
        ("observation: -10 %", b => b.R(Observation)["valueQuantity"]!["value"] = -10),
        ("observation: unit as words", b => b.R(Observation)["valueQuantity"]!["unit"] = "prosent"),
        ("observation: unit days", b => { b.R(Observation)["valueQuantity"]!["code"] = "d"; b.R(Observation)["valueQuantity"]!["unit"] = "d"; }),
        ("observation: value as text", b =>
        {
            b.R(Observation).Remove("valueQuantity");
            b.R(Observation)["valueString"] = "100 %";
        }),
        ("observation: value a string", b => b.R(Observation)["valueQuantity"]!["value"] = "100"),
        ("observation: no subject", b => b.R(Observation).Remove("subject")),
    ];
}
