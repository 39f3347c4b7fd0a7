namespace IntegrationHub.Contracts;

/// <summary>
/// A municipal service ended its follow-up of the person: from <paramref name="OccurredAt"/> the
/// municipality is no longer in the care team, nothing more is routed to it, and it no longer reads
/// the person's data in the hub (what it received stays in its own records).
/// </summary>
/// <param name="Municipality">Municipality number, 4 digits.</param>
public sealed record MunicipalFollowUpEnded(
    Guid EventId,
    PersonReference Person,
    string Municipality,
    string EndedBy,
    DateTimeOffset OccurredAt);
