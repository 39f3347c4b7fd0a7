namespace IntegrationHub.Contracts;

/// <summary>
/// Asks the consent registry, which publishes <see cref="ConsentsConfirmed"/> with the same
/// <paramref name="RequestId"/>: an adapter asks just before it stores an update shared under these
/// consents, because the ConsentWithdrawn event may still be on its way. Published, and answered by
/// publishing, rather than MassTransit request/response: its reply queue is a temporary queue that
/// the responder can re-declare differently after a broker restart, and then no reply gets through.
/// </summary>
public sealed record ConfirmConsents(Guid RequestId, IReadOnlyList<Guid> ConsentIds);
