namespace IntegrationHub.Contracts;

public enum CertificateKind
{
    /// <summary>Sykmelding: sick-leave certificate.</summary>
    Sykmelding,

    /// <summary>Legeerklæring ved arbeidsuførhet: the GP's statement for work assessment.</summary>
    Legeerklaering,
}

/// <summary>Who wrote the certificate: the GP (HPR number) and, when given, the GP office.</summary>
public sealed record CertificateAuthor(string HprNumber, string? HerId, string? OrganisationNumber, string? OrganisationName);

/// <summary>Category work-capacity: the period and how much the person cannot work (0-100 %).</summary>
public sealed record WorkCapacity(DateOnly From, DateOnly To, decimal IncapacityPercent);

/// <summary>Category diagnosis: one coded diagnosis (ICPC-2 or ICD-10 system OID, and the code).</summary>
public sealed record DiagnosisEntry(string System, string Code, string? Display);

/// <summary>Category medical-assessment: the GP's free text, as plain text.</summary>
public sealed record MedicalAssessment(string? FunctionalAssessment, string? Measures);
