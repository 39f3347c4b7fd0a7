namespace IntegrationHub.Contracts;

/// <summary>One update to take back, and the categories of it shared under the withdrawn consent.</summary>
public sealed record RetractedUpdate(Guid UpdateId, IReadOnlyList<string> Categories);

/// <summary>
/// Command to a recipient's adapter, on the same delivery queue as <see cref="DeliverUpdate"/>: the
/// consent these updates were shared under was withdrawn, so take their consent-based categories
/// back wherever the recipient has not yet read them. An update not yet arrived is taken back when
/// it comes. The adapter answers with <see cref="UpdatesRetracted"/>.
/// </summary>
/// <param name="DecidedAt">The withdrawal's instant.</param>
public sealed record RetractUpdates(
    Guid RetractionId,
    PersonReference Person,
    PartyReference Recipient,
    Guid ConsentId,
    IReadOnlyList<RetractedUpdate> Updates,
    DateTimeOffset DecidedAt)
{
    public const string Reason = "samtykket ble trukket tilbake";
}
