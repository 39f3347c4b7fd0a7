namespace IntegrationHub.Contracts;

/// <summary>
/// Something that tells whether a person is being reached: a NAV message read or not, a meeting
/// missed, a municipal note about a lost phone, a KRR reservation.
/// </summary>
/// <param name="Signal">One of <see cref="EngagementSignal"/>.</param>
/// <param name="OccurredAt">When it happened at the source; rules use this, not arrival time, since events arrive late.</param>
/// <param name="Reference">The source's own id for the thing signalled (a message or meeting id), so read/answered can be matched to sent.</param>
public sealed record EngagementSignalObserved(
    Guid SignalId,
    PersonReference Person,
    string Signal,
    PartyReference Source,
    DateTimeOffset OccurredAt,
    string? Reference)
{
    /// <summary>How contact was tried or made (phone, physical, home-visit, sms, ...), when the source says.</summary>
    public string? Channel { get; init; }
}
