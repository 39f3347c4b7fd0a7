namespace IntegrationHub.Contracts;

/// <summary>
/// A recipient's adapter found, when it stored or pushed an update, that categories routing had
/// allowed rest on a consent withdrawn since: they were not delivered. Routing corrects its
/// disclosure log so the person is never told something was shared that was not.
/// </summary>
public sealed record UpdateWithheldAtDelivery(
    Guid UpdateId,
    PersonReference Person,
    PartyReference Recipient,
    IReadOnlyList<WithheldCategory> Categories,
    DateTimeOffset At);
