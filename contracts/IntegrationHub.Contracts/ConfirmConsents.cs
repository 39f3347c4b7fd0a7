namespace IntegrationHub.Contracts;

/// <summary>
/// Asks the consent registry, which publishes <see cref="ConsentsConfirmed"/> with the same
/// <paramref name="RequestId"/>: an adapter asks just before it stores an update shared under these
/// consents, because the ConsentWithdrawn event may still be on its way. Published, and answered by
/// publishing to durable queues, rather than MassTransit request/response: with that, after a
/// broker restart no reply got through in 3 of 6 fault-test runs (replies go to a temporary queue;
/// the likely cause is the responder re-declaring it before the requester did).
/// </summary>
public sealed record ConfirmConsents(Guid RequestId, IReadOnlyList<Guid> ConsentIds);
