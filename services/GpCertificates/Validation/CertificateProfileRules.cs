using System.Globalization;
using System.Text.Json;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Fhir.Validation;
using static IntegrationHub.GpCertificates.Validation.CertificateDocument;

namespace IntegrationHub.GpCertificates.Validation;

/// <summary>
/// The hub's certificate profile (shared/reference/medical-certificate.md) as a table of rules, on
/// top of generic FHIR R4 validation. A new rule is one entry.
/// </summary>
public static class CertificateProfileRules
{
    private const string NotDelivered = "Legen din må rette opp og sende på nytt. Den er ikke sendt videre.";

    public static IReadOnlyList<ProfileRule> All { get; } =
    [
        new("BUNDLE-DOCUMENT", IssueCode.BusinessRule,
            "Bundle.type must be 'document'.",
            $"Legeerklæringen kom i feil format. {NotDelivered}",
            (d, rules) => Text(d.Bundle, "type") == "document" ? [] : ["Bundle.type"]),

        new("BUNDLE-TIMESTAMP", IssueCode.Required,
            "Bundle.timestamp is required.",
            $"Legeerklæringen mangler tidspunkt. {NotDelivered}",
            (d, rules) => d.Bundle.TryGetProperty("timestamp", out _) ? [] : ["Bundle.timestamp"]),

        new("BUNDLE-IDENTIFIER", IssueCode.Required,
            "Bundle.identifier with system and value is required; it is the certificate's business id.",
            $"Legeerklæringen mangler id. {NotDelivered}",
            (d, rules) => d.Bundle.TryGetProperty("identifier", out var id) && Text(id, "system") is not null && Text(id, "value") is not null
                ? []
                : ["Bundle.identifier"]),

        new("ENTRY-FULLURL", IssueCode.Required,
            "Every entry needs a fullUrl and a resource.",
            $"Legeerklæringen er ufullstendig. {NotDelivered}",
            (d, rules) => Array(d.Bundle, "entry").SelectMany(e => Missing(e.Item, $"Bundle.entry[{e.Index}]", "fullUrl", "resource"))),

        new("COMPOSITION-FIRST", IssueCode.BusinessRule,
            "The first entry must be the Composition.",
            $"Legeerklæringen er satt sammen feil. {NotDelivered}",
            (d, rules) => d.Composition is null ? ["Bundle.entry[0].resource"] : []),

        new("COMPOSITION-KIND", IssueCode.CodeInvalid,
            $"Composition.type needs a coding from {KindSystem}: sykmelding or legeerklaering.",
            $"Det står ikke hva slags erklæring dette er. {NotDelivered}",
            (d, rules) => d.Composition is { } c && CodeIn(c.Resource, "type", KindSystem) is not ("sykmelding" or "legeerklaering")
                ? [$"{c.Expression}.type"]
                : []),

        new("COMPOSITION-STATUS", IssueCode.CodeInvalid,
            "Composition.status must be final, amended (a correction) or entered-in-error (a withdrawal).",
            $"Legeerklæringen er ikke ferdig. {NotDelivered}",
            (d, rules) => d.Composition is { } c && d.Status is not ("final" or "amended" or "entered-in-error") ? [$"{c.Expression}.status"] : []),

        new("COMPOSITION-RELATES-TO", IssueCode.Required,
            "An amended or entered-in-error Composition needs relatesTo with code 'replaces' and targetIdentifier (system and value) of the earlier Bundle.",
            $"Det står ikke hvilken tidligere erklæring som rettes. {NotDelivered}",
            (d, rules) => d.Composition is { } c && d.Status is "amended" or "entered-in-error" && ReplacedIdentifier(d) is null
                ? [$"{c.Expression}.relatesTo"]
                : []),

        new("COMPOSITION-SUBJECT", IssueCode.BusinessRule,
            "Composition.subject must reference the Patient entry.",
            $"Det står ikke hvem erklæringen gjelder. {NotDelivered}",
            (d, rules) => d.Composition is { } c && d.Patient is not { ResourceType: "Patient" } ? [$"{c.Expression}.subject"] : []),

        new("COMPOSITION-AUTHOR", IssueCode.BusinessRule,
            "Composition.author must reference exactly one Practitioner and at most one Organization, and nothing else.",
            $"Det står ikke hvilken lege som har skrevet erklæringen. {NotDelivered}",
            (d, rules) => AuthorViolations(d)),

        new("ONE-PATIENT", IssueCode.BusinessRule,
            "The Bundle must hold exactly one Patient.",
            $"Erklæringen gjelder flere personer. {NotDelivered}",
            (d, rules) => d.Entries.Count(e => e.ResourceType == "Patient") == 1 ? [] : ["Bundle.entry"]),

        new("PATIENT-IDENTIFIER", IssueCode.Value,
            "Patient.identifier must hold exactly one valid fødselsnummer (urn:oid:2.16.578.1.12.4.1.4.1) or D-number (urn:oid:2.16.578.1.12.4.1.4.2).",
            $"Fødselsnummeret ditt mangler eller er feil i erklæringen. {NotDelivered}",
            (d, rules) => d.Patient is { ResourceType: "Patient" } p ? PatientIdentifierViolations(p, rules) : []),

        new("PRACTITIONER-HPR", IssueCode.Value,
            "The authoring Practitioner needs a valid HPR number (urn:oid:2.16.578.1.12.4.1.4.4).",
            $"Legens HPR-nummer mangler eller er feil. {NotDelivered}",
            (d, rules) => Authors(d).Where(a => a.ResourceType == "Practitioner").SelectMany(p =>
                IdentifierViolations(p, HprNumber.System, v => HprNumber.TryParse(v, out _, out _), required: true))),

        new("ORGANIZATION-IDENTIFIER", IssueCode.Value,
            "An authoring Organization needs a valid HER-id (urn:oid:2.16.578.1.12.4.1.2) and/or organisasjonsnummer (urn:oid:2.16.578.1.12.4.1.4.101).",
            $"Legekontoret er ikke riktig oppgitt. {NotDelivered}",
            (d, rules) => Authors(d).Where(a => a.ResourceType == "Organization").SelectMany(OrganizationViolations)),

        new("SECTION-CODE", IssueCode.CodeInvalid,
            $"Every section needs a code from {SectionSystem} (diagnoses, work-capacity, functional-assessment, measures), each at most once.",
            $"Legeerklæringen er satt sammen feil. {NotDelivered}",
            (d, rules) => SectionCodeViolations(d)),

        new("SECTION-DIAGNOSES", IssueCode.Required,
            "The diagnoses section is required, with one or more entries referencing Condition resources.",
            $"Legeerklæringen mangler diagnose. {NotDelivered}",
            (d, rules) => SectionEntryViolations(d, "diagnoses", "Condition", exactlyOne: false)),

        new("SECTION-WORK-CAPACITY", IssueCode.Required,
            "The work-capacity section is required, with exactly one entry referencing the work-incapacity Observation.",
            $"Legeerklæringen sier ikke hvor mye du kan jobbe. {NotDelivered}",
            (d, rules) => SectionEntryViolations(d, "work-capacity", "Observation", exactlyOne: true)),

        new("SECTION-TEXT", IssueCode.Required,
            "The functional-assessment and measures sections carry their content as narrative text.",
            $"Legens vurdering mangler tekst. {NotDelivered}",
            (d, rules) => d.Sections().Where(s => s.Code is "functional-assessment" or "measures" && !s.Section.TryGetProperty("text", out _))
                .Select(s => $"{d.Composition!.Expression}.section[{s.Index}].text")),

        new("CONDITION-CODE", IssueCode.Value,
            "Condition.code needs a coding in ICPC-2 (urn:oid:2.16.578.1.12.4.1.1.7170, e.g. P15) or ICD-10 (urn:oid:2.16.578.1.12.4.1.1.7110, e.g. F10.2).",
            $"Diagnosekoden er feil. {NotDelivered}",
            (d, rules) => d.Entries.Where(e => e.ResourceType == "Condition").SelectMany(ConditionCodeViolations)),

        new("SUBJECT-IS-PATIENT", IssueCode.BusinessRule,
            "Every Condition and Observation must have the Bundle's Patient as subject.",
            $"Deler av erklæringen gjelder en annen person. {NotDelivered}",
            (d, rules) => d.Entries.Where(e => e.ResourceType is "Condition" or "Observation")
                .Where(e => d.Patient is null || d.Resolve(e.Resource, "subject") != d.Patient)
                .Select(e => $"{e.Expression}.subject")),

        new("OBSERVATION-STATUS", IssueCode.CodeInvalid,
            "The work-incapacity Observation must have status final.",
            $"Vurderingen av hvor mye du kan jobbe er ikke ferdig. {NotDelivered}",
            (d, rules) => WorkIncapacity(d) is { } o && Text(o.Resource, "status") != "final" ? [$"{o.Expression}.status"] : []),

        new("OBSERVATION-CODE", IssueCode.CodeInvalid,
            $"An Observation in a certificate must be coded {ObservationSystem}#{WorkIncapacityCode}.",
            $"Vurderingen av hvor mye du kan jobbe er feil merket. {NotDelivered}",
            (d, rules) => d.Entries.Where(e => e.ResourceType == "Observation" && CodeIn(e.Resource, "code", ObservationSystem) != WorkIncapacityCode)
                .Select(e => $"{e.Expression}.code")),

        new("OBSERVATION-PERIOD", IssueCode.Value,
            "The work-incapacity Observation needs effectivePeriod with start and end as dates (YYYY-MM-DD), end not before start.",
            $"Perioden for sykmeldingen er feil. {NotDelivered}",
            (d, rules) => WorkIncapacity(d) is { } o ? PeriodViolations(o) : []),

        new("OBSERVATION-VALUE", IssueCode.Value,
            "The work-incapacity Observation needs valueQuantity from 0 to 100 in UCUM percent (system http://unitsofmeasure.org, code %, unit % if given).",
            $"Det står ikke riktig hvor mye du ikke kan jobbe. {NotDelivered}",
            (d, rules) => WorkIncapacity(d) is { } o ? ValueViolations(o) : []),
    ];

    /// <summary>The earlier Bundle identifier a correction or withdrawal replaces.</summary>
    public static (string System, string Value)? ReplacedIdentifier(CertificateDocument document)
    {
        if (document.Composition is not { } composition)
        {
            return null;
        }

        foreach (var (_, relation) in Array(composition.Resource, "relatesTo"))
        {
            if (Text(relation, "code") == "replaces" && relation.TryGetProperty("targetIdentifier", out var target)
                && Text(target, "system") is { } system && Text(target, "value") is { } value)
            {
                return (system, value);
            }
        }

        return null;
    }

    public static IEnumerable<BundleEntry> Authors(CertificateDocument document) =>
        document.Composition is { } c
            ? Array(c.Resource, "author").Select(a => document.ResolveReference(a.Item)).OfType<BundleEntry>()
            : [];

    public static BundleEntry? WorkIncapacity(CertificateDocument document) =>
        document.Section("work-capacity") is { } section
            ? Array(section.Section, "entry").Select(e => document.ResolveReference(e.Item)).FirstOrDefault(e => e?.ResourceType == "Observation")
            : null;

    private static IEnumerable<string> Missing(JsonElement element, string expression, params string[] properties) =>
        properties.Where(p => !element.TryGetProperty(p, out _)).Select(p => $"{expression}.{p}");

    private static IEnumerable<string> AuthorViolations(CertificateDocument document)
    {
        if (document.Composition is not { } composition)
        {
            yield break;
        }

        var authors = Array(composition.Resource, "author").Select(a => (a.Index, Entry: document.ResolveReference(a.Item))).ToList();
        foreach (var (index, entry) in authors)
        {
            if (entry?.ResourceType is not ("Practitioner" or "Organization"))
            {
                yield return $"{composition.Expression}.author[{index}]";
            }
        }

        if (authors.Count(a => a.Entry?.ResourceType == "Practitioner") != 1 || authors.Count(a => a.Entry?.ResourceType == "Organization") > 1)
        {
            yield return $"{composition.Expression}.author";
        }
    }

    private static IEnumerable<string> PatientIdentifierViolations(BundleEntry patient, PersonIdentifierRules rules)
    {
        var personal = Array(patient.Resource, "identifier")
            .Where(i => Text(i.Item, "system") is NorwegianPersonIdentifier.FodselsnummerSystem or NorwegianPersonIdentifier.DNumberSystem)
            .ToList();
        if (personal.Count != 1)
        {
            yield return $"{patient.Expression}.identifier";
            yield break;
        }

        var (index, identifier) = personal[0];
        if (!NorwegianPersonIdentifier.TryParse(Text(identifier, "value"), rules, out var parsed, out _)
            || parsed!.System != Text(identifier, "system"))
        {
            yield return $"{patient.Expression}.identifier[{index}].value";
        }
    }

    private static IEnumerable<string> IdentifierViolations(BundleEntry entry, string system, Func<string?, bool> valid, bool required)
    {
        var matching = Array(entry.Resource, "identifier").Where(i => Text(i.Item, "system") == system).ToList();
        if (required && matching.Count == 0)
        {
            yield return $"{entry.Expression}.identifier";
        }

        foreach (var (index, identifier) in matching.Where(i => !valid(Text(i.Item, "value"))))
        {
            yield return $"{entry.Expression}.identifier[{index}].value";
        }
    }

    private static IEnumerable<string> OrganizationViolations(BundleEntry organization)
    {
        var identifiers = Array(organization.Resource, "identifier").Select(i => Text(i.Item, "system")).ToList();
        if (!identifiers.Contains(HerId.System) && !identifiers.Contains(Organisasjonsnummer.System))
        {
            return [$"{organization.Expression}.identifier"];
        }

        return IdentifierViolations(organization, HerId.System, v => HerId.TryParse(v, out _, out _), required: false)
            .Concat(IdentifierViolations(organization, Organisasjonsnummer.System, v => Organisasjonsnummer.TryParse(v, out _, out _), required: false));
    }

    private static readonly HashSet<string> SectionCodes = ["diagnoses", "work-capacity", "functional-assessment", "measures"];

    private static IEnumerable<string> SectionCodeViolations(CertificateDocument document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, code, _) in document.Sections())
        {
            if (code is null || !SectionCodes.Contains(code) || !seen.Add(code))
            {
                yield return $"{document.Composition!.Expression}.section[{index}].code";
            }
        }
    }

    private static IEnumerable<string> SectionEntryViolations(CertificateDocument document, string code, string resourceType, bool exactlyOne)
    {
        if (document.Composition is not { } composition)
        {
            yield break;
        }

        if (document.Section(code) is not { } section)
        {
            yield return $"{composition.Expression}.section";
            yield break;
        }

        var entries = Array(section.Section, "entry").ToList();
        var at = $"{composition.Expression}.section[{section.Index}]";
        if (entries.Count == 0 || (exactlyOne && entries.Count != 1))
        {
            yield return $"{at}.entry";
            yield break;
        }

        foreach (var (index, reference) in entries)
        {
            if (document.ResolveReference(reference)?.ResourceType != resourceType)
            {
                yield return $"{at}.entry[{index}]";
            }
        }
    }

    private static IEnumerable<string> ConditionCodeViolations(BundleEntry condition)
    {
        var codings = Codings(condition.Resource, "code")
            .Select((coding, index) => (index, System: Text(coding, "system"), Code: Text(coding, "code")))
            .Where(c => c.System is DiagnosisCode.Icpc2System or DiagnosisCode.Icd10System)
            .ToList();
        if (codings.Count == 0)
        {
            return [$"{condition.Expression}.code"];
        }

        return codings.Where(c => !DiagnosisCode.TryParse(c.System, c.Code, out _, out _))
            .Select(c => $"{condition.Expression}.code.coding[{c.index}].code");
    }

    private static IEnumerable<string> PeriodViolations(BundleEntry observation)
    {
        if (!observation.Resource.TryGetProperty("effectivePeriod", out var period))
        {
            return [$"{observation.Expression}.effectivePeriod"];
        }

        var start = FullDate(Text(period, "start"));
        var end = FullDate(Text(period, "end"));
        if (start is null)
        {
            return [$"{observation.Expression}.effectivePeriod.start"];
        }

        return end is null || end < start ? [$"{observation.Expression}.effectivePeriod.end"] : [];
    }

    private static DateOnly? FullDate(string? text) =>
        text is { Length: 10 } && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static IEnumerable<string> ValueViolations(BundleEntry observation)
    {
        if (!observation.Resource.TryGetProperty("valueQuantity", out var quantity))
        {
            return [$"{observation.Expression}.valueQuantity"];
        }

        var violations = new List<string>();
        if (!quantity.TryGetProperty("value", out var value) || !value.TryGetDecimal(out var percent) || percent is < 0 or > 100)
        {
            violations.Add($"{observation.Expression}.valueQuantity.value");
        }

        // The unit is the human-readable form and may be left out; the code is what counts.
        if (Text(quantity, "unit") is not (null or "%") || Text(quantity, "code") != "%" || Text(quantity, "system") != "http://unitsofmeasure.org")
        {
            violations.Add($"{observation.Expression}.valueQuantity");
        }

        return violations;
    }
}
