namespace IntegrationHub.Contracts;

/// <summary>Routing decided a category for a recipient: delivered on a basis, or withheld with a reason. Audited.</summary>
/// <param name="Outcome">delivered or withheld.</param>
/// <param name="BasisOrReason">The legal basis when delivered (e.g. "folketrygdloven § 21-4", "samtykke"), the reason when withheld.</param>
public sealed record DisclosureRecorded(
    Guid DisclosureId,
    Guid UpdateId,
    PersonReference Person,
    PartyReference Recipient,
    string Category,
    string Outcome,
    string BasisOrReason,
    Guid? ConsentId,
    DateTimeOffset DecidedAt);
