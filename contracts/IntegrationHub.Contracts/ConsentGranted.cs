namespace IntegrationHub.Contracts;

/// <summary>
/// A person consented to sharing the given categories with the given recipients for a purpose.
/// Consent never needs BankID: in person or by phone it is witnessed, and who obtained it is kept.
/// </summary>
/// <param name="Categories">Codes of <see cref="DataCategory"/>.</param>
/// <param name="ObtainedVia">digital, in-person or phone.</param>
/// <param name="ValidUntil">Exclusive: the consent no longer holds from this day.</param>
public sealed record ConsentGranted(
    Guid ConsentId,
    PersonReference Person,
    string Purpose,
    IReadOnlyList<PartyKind> Recipients,
    IReadOnlyList<string> Categories,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string ObtainedVia,
    string? WitnessedBy,
    string RecordedBy,
    DateTimeOffset RecordedAt);
