using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Persons;

namespace IntegrationHub.GpCertificates.Translation;

/// <summary>What the hub takes from a valid certificate Bundle, before it is stored and published.</summary>
public sealed record CertificateFacts(
    string IdentifierSystem,
    string IdentifierValue,
    string Status,
    (string System, string Value)? Replaces,
    PersonReference Person,
    CertificateKind Kind,
    CertificateAuthor Author,
    DateTimeOffset IssuedAt,
    WorkCapacity WorkCapacity,
    IReadOnlyList<DiagnosisEntry> Diagnoses,
    MedicalAssessment? Assessment)
{
    /// <summary>The patient's fødselsnummer or D-number, to be sealed for coordination; never stored or published in clear.</summary>
    public required NorwegianPersonIdentifier PatientIdentifier { get; init; }

    /// <summary>The patient's name as the GP wrote it (Patient.name, the official one first), when there is one.</summary>
    public PersonName? PatientName { get; init; }
}
