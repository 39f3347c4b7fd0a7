namespace IntegrationHub.Contracts;

/// <summary>
/// Command to coordination, on its own delivery queue: routing allowed this signal for the
/// coordinators by a row of the legal-basis table (task necessity). Coordination receives signals
/// only this way, so a table without those rows stops what it gets. Exactly one of
/// <paramref name="Signal"/> and <paramref name="Attempt"/> is set.
/// </summary>
public sealed record DeliverToCoordination(
    Guid DeliveryId,
    PersonReference Person,
    string Category,
    EngagementSignalObserved? Signal,
    ContactAttempted? Attempt,
    DateTimeOffset DecidedAt);
