using IntegrationHub.Contracts;

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
    MedicalAssessment? Assessment);
