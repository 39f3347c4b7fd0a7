namespace IntegrationHub.Contracts;

/// <summary>
/// Request to the consent registry, answered with <see cref="ConsentsConfirmed"/>: an adapter asks
/// just before it stores an update shared under these consents, because the ConsentWithdrawn event
/// may still be on its way.
/// </summary>
public sealed record ConfirmConsents(IReadOnlyList<Guid> ConsentIds);
