namespace IntegrationHub.Contracts;

/// <summary>
/// A recipient's adapter carried out <see cref="RetractUpdates"/>: <paramref name="Retracted"/> were
/// taken back (from the inbox, and with a retraction call where the webhook had them);
/// <paramref name="AlreadyRead"/> had been read by the recipient's staff and stay with it.
/// Routing records each retraction in the disclosure log.
/// </summary>
public sealed record UpdatesRetracted(
    Guid RetractionId,
    PersonReference Person,
    PartyReference Recipient,
    Guid ConsentId,
    IReadOnlyList<RetractedUpdate> Retracted,
    IReadOnlyList<Guid> AlreadyRead,
    DateTimeOffset At);
