namespace IntegrationHub.Contracts;

/// <summary>
/// Someone read (or tried to read) a person's data. Every module publishes this for every read,
/// and the audit module appends it to its hash-chained log.
/// </summary>
/// <param name="Resource">What was read, e.g. "persons/key" or "persons/{key}/timeline".</param>
/// <param name="Purpose">Why, in the caller's words or the endpoint's declared purpose.</param>
/// <param name="Granted">False when the read was refused; refused attempts are audited too.</param>
public sealed record PersonDataAccessed(
    Guid AccessId,
    PersonReference Person,
    string ActorUserId,
    string ActorRole,
    string? ActorParty,
    string Resource,
    string Purpose,
    bool Granted,
    DateTimeOffset OccurredAt);
