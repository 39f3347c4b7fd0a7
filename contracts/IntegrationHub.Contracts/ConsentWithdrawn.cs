namespace IntegrationHub.Contracts;

/// <summary>From <paramref name="WithdrawnAt"/> nothing more is routed under the consent, also updates already queued.</summary>
public sealed record ConsentWithdrawn(
    Guid ConsentId,
    PersonReference Person,
    DateTimeOffset WithdrawnAt,
    string Via,
    string RecordedBy);
