namespace IntegrationHub.Contracts;

/// <summary>
/// A party told the hub who the person is: NAV (with the name from the population register), a GP
/// in a certificate, or a municipality registering its follow-up. Both the identifier and the name
/// are sealed with the hub's secret, never in clear on the bus, for coordination: staff see a name
/// and a birth date, not a key, and KRR is asked with the identifier.
/// </summary>
/// <param name="SealedName">Null when the party gave no name.</param>
public sealed record PersonIdentified(
    Guid EventId,
    PersonReference Person,
    PartyReference Source,
    string SealedIdentifier,
    string? SealedName,
    DateTimeOffset OccurredAt);
