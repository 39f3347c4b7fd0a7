namespace IntegrationHub.Contracts;

/// <summary>
/// A GP's certificate was accepted. Each data category is a property of its own, so routing can
/// withhold one (say, <see cref="Diagnoses"/>) and still deliver the others.
/// </summary>
/// <param name="CertificateId">The hub's id; the FHIR Bundle is at /fhir/Bundle/{CertificateId}.</param>
/// <param name="Replaces">For a correction (Composition status amended): the certificate it replaces.</param>
/// <param name="WorkCapacity">Category work-capacity.</param>
/// <param name="Diagnoses">Category diagnosis.</param>
/// <param name="Assessment">Category medical-assessment; null when the GP wrote none.</param>
public sealed record MedicalCertificateReceived(
    Guid CertificateId,
    PersonReference Person,
    CertificateKind Kind,
    CertificateAuthor Author,
    DateTimeOffset IssuedAt,
    Guid? Replaces,
    WorkCapacity WorkCapacity,
    IReadOnlyList<DiagnosisEntry> Diagnoses,
    MedicalAssessment? Assessment);
