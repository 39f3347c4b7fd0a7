namespace IntegrationHub.Contracts;

/// <summary>Why a category was shared: a law, the person's consent, or the task itself.</summary>
public sealed record DisclosureBasis(string Category, string Basis, string Reference);

/// <summary>A category that exists in the update but may not reach this recipient, and why.</summary>
public sealed record WithheldCategory(string Category, string Reason);

/// <summary>
/// Command to a recipient's adapter (NAV, municipality): deliver this update to its inbox and
/// webhook. Only the categories allowed for the recipient are filled in; the others are null and
/// listed in <see cref="Withheld"/>. The adapter checks consent again before it delivers.
/// </summary>
/// <param name="Source">gp, nav, municipality or coordination.</param>
/// <param name="Kind">What happened, e.g. medical-certificate, medical-certificate-withdrawn.</param>
public sealed record DeliverUpdate(
    Guid UpdateId,
    Guid SourceEventId,
    PersonReference Person,
    PartyReference Recipient,
    string? RecipientUser,
    string Source,
    string Kind,
    DateTimeOffset OccurredAt,
    IReadOnlyList<DisclosureBasis> Bases,
    IReadOnlyList<WithheldCategory> Withheld,
    WorkCapacity? WorkCapacity,
    IReadOnlyList<DiagnosisEntry>? Diagnoses,
    MedicalAssessment? Assessment);
