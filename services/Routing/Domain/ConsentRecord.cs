using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Domain;

/// <summary>A person's consent as registered, and its withdrawal. Never deleted: it is the record of what was allowed.</summary>
public sealed class ConsentRecord
{
    public Guid Id { get; set; }

    public required string PersonKey { get; set; }

    public required string Purpose { get; set; }

    /// <summary>The units the consent lets receive.</summary>
    public required List<ConsentRecipient> Recipients { get; set; }

    public required List<string> Categories { get; set; }

    public DateOnly ValidFrom { get; set; }

    public DateOnly ValidUntil { get; set; }

    public required string ObtainedVia { get; set; }

    public string? WitnessedBy { get; set; }

    /// <summary>The user who registered the consent (from the token), with role and organisation.</summary>
    public required string RecordedBy { get; set; }

    public required string RecordedByRole { get; set; }

    public string? RecordedByParty { get; set; }

    /// <summary>
    /// Registered by a NAV advisor or municipal caseworker, staff of a recipient: a reviewer should
    /// look at whether the person felt free to say no (user-needs.md).
    /// </summary>
    public bool ObtainedByRecipientStaff { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    public string? WithdrawnVia { get; set; }

    public string? WithdrawalRecordedBy { get; set; }

    public ConsentGranted ToGranted() => new(
        Id, new PersonReference(PersonKey), Purpose, Recipients, Categories, ValidFrom, ValidUntil, ObtainedVia, WitnessedBy, RecordedBy, RecordedAt);

    /// <summary>active, withdrawn, expired or not-yet-valid at <paramref name="instant"/>.</summary>
    public string StatusAt(DateTimeOffset instant)
    {
        if (WithdrawnAt is { } withdrawn && withdrawn <= instant)
        {
            return "withdrawn";
        }

        if (ToGranted().CoversDate(instant))
        {
            return "active";
        }

        return ConsentGranted.NorwegianDay(instant) < ValidFrom ? "not-yet-valid" : "expired";
    }
}
