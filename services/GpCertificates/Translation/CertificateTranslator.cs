using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.Messaging.Persons;
using static IntegrationHub.GpCertificates.Validation.CertificateDocument;

namespace IntegrationHub.GpCertificates.Translation;

/// <summary>FHIR certificate (already valid against the profile) to the canonical vocabulary.</summary>
public sealed class CertificateTranslator(PersonKeyGenerator keys, PersonIdentifierRules identifierRules)
{
    public CertificateFacts Read(CertificateDocument document)
    {
        var composition = document.Composition!.Resource;
        var identifier = document.Bundle.GetProperty("identifier");
        var patientIdentifier = Array(document.Patient!.Resource, "identifier")
            .Select(i => i.Item)
            .First(i => Text(i, "system") is NorwegianPersonIdentifier.FodselsnummerSystem or NorwegianPersonIdentifier.DNumberSystem);
        if (!NorwegianPersonIdentifier.TryParse(Text(patientIdentifier, "value"), identifierRules, out var person, out _))
        {
            throw new InvalidOperationException("The profile rules let through an invalid person identifier.");
        }

        var observation = CertificateProfileRules.WorkIncapacity(document)!.Resource;
        var period = observation.GetProperty("effectivePeriod");
        return new CertificateFacts(
            Text(identifier, "system")!,
            Text(identifier, "value")!,
            Text(composition, "status")!,
            CertificateProfileRules.ReplacedIdentifier(document),
            keys.ReferenceFor(person!),
            CodeIn(composition, "type", KindSystem) == "sykmelding" ? CertificateKind.Sykmelding : CertificateKind.Legeerklaering,
            ReadAuthor(document),
            ParseDateTime(Text(composition, "date")!),
            new WorkCapacity(
                DateOnly.ParseExact(Text(period, "start")!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(Text(period, "end")!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                observation.GetProperty("valueQuantity").GetProperty("value").GetDecimal()),
            ReadDiagnoses(document),
            ReadAssessment(document))
        {
            PatientIdentifier = person!,
            PatientName = ReadName(document.Patient!.Resource),
        };
    }

    /// <summary>The official name, else the first; the given names joined. Null when there is no usable one: a name is never required.</summary>
    private static PersonName? ReadName(JsonElement patient)
    {
        var names = Array(patient, "name").Select(n => n.Item).Where(n => n.ValueKind == JsonValueKind.Object).ToList();
        var name = names.FirstOrDefault(n => Text(n, "use") == "official");
        if (name.ValueKind != JsonValueKind.Object)
        {
            name = names.FirstOrDefault();
        }

        if (name.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var given = string.Join(' ', Array(name, "given").Select(g => g.Item).Where(g => g.ValueKind == JsonValueKind.String).Select(g => g.GetString()));
        return PersonName.TryCreate(given, Text(name, "family"), out var read) ? read : null;
    }

    private static CertificateAuthor ReadAuthor(CertificateDocument document)
    {
        var authors = CertificateProfileRules.Authors(document).ToList();
        var practitioner = authors.First(a => a.ResourceType == "Practitioner").Resource;
        var organization = authors.FirstOrDefault(a => a.ResourceType == "Organization")?.Resource;
        return new CertificateAuthor(
            IdentifierValue(practitioner, HprNumber.System)!,
            organization is { } o ? IdentifierValue(o, HerId.System) : null,
            organization is { } org ? IdentifierValue(org, Organisasjonsnummer.System) : null,
            organization is { } named ? Text(named, "name") : null);
    }

    private static List<DiagnosisEntry> ReadDiagnoses(CertificateDocument document)
    {
        var section = document.Section("diagnoses")!.Value.Section;
        return Array(section, "entry")
            .Select(e => document.ResolveReference(e.Item)!.Resource)
            .SelectMany(condition => Codings(condition, "code"))
            .Where(c => Text(c, "system") is DiagnosisCode.Icpc2System or DiagnosisCode.Icd10System)
            .Select(c => new DiagnosisEntry(Text(c, "system")!, Text(c, "code")!, Text(c, "display")))
            .ToList();
    }

    private static MedicalAssessment? ReadAssessment(CertificateDocument document)
    {
        var functional = NarrativeText(document, "functional-assessment");
        var measures = NarrativeText(document, "measures");
        return functional is null && measures is null ? null : new MedicalAssessment(functional, measures);
    }

    /// <summary>The narrative as plain text: the XHTML was checked safe and well-formed by validation.</summary>
    private static string? NarrativeText(CertificateDocument document, string sectionCode) =>
        document.Section(sectionCode) is { } section && section.Section.TryGetProperty("text", out var text) && Text(text, "div") is { } div
            ? XElement.Parse(div).Value.Trim()
            : null;

    private static string? IdentifierValue(JsonElement resource, string system) =>
        Array(resource, "identifier").Select(i => i.Item).Where(i => Text(i, "system") == system).Select(i => Text(i, "value")).FirstOrDefault();

    /// <summary>FHIR dateTime may be a bare date; that counts as the start of the day in UTC.</summary>
    private static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : new DateTimeOffset(int.Parse(text[..4], CultureInfo.InvariantCulture), text.Length >= 7 ? int.Parse(text[5..7], CultureInfo.InvariantCulture) : 1, 1, 0, 0, 0, TimeSpan.Zero);
}
