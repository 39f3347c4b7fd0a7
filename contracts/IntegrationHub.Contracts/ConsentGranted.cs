namespace IntegrationHub.Contracts;

/// <summary>
/// A person consented to sharing the given categories with the given recipients for a purpose.
/// Consent never needs BankID: in person or by phone it is witnessed, and who obtained it is kept.
/// </summary>
/// <param name="Recipients">The units that may receive (<see cref="ConsentRecipient"/>).</param>
/// <param name="Categories">Codes of <see cref="DataCategory"/>.</param>
/// <param name="ObtainedVia">digital, in-person or phone.</param>
/// <param name="ValidFrom">First day the consent holds (Norwegian time).</param>
/// <param name="ValidUntil">Last day the consent holds, inclusive (Norwegian time).</param>
public sealed record ConsentGranted(
    Guid ConsentId,
    PersonReference Person,
    string Purpose,
    IReadOnlyList<ConsentRecipient> Recipients,
    IReadOnlyList<string> Categories,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string ObtainedVia,
    string? WitnessedBy,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    /// <summary>Consent dates are calendar days in Norway, where the person gave it.</summary>
    public static TimeZoneInfo Norway { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    /// <summary>The calendar day in Norway at <paramref name="instant"/>.</summary>
    public static DateOnly NorwegianDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Norway).DateTime);

    /// <summary>Whether the consent's dates cover <paramref name="instant"/>; withdrawal is tracked apart.</summary>
    public bool CoversDate(DateTimeOffset instant)
    {
        var day = NorwegianDay(instant);
        return day >= ValidFrom && day <= ValidUntil;
    }
}
