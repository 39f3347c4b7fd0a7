namespace IntegrationHub.Contracts;

/// <summary>One category's decision within <see cref="DisclosuresRecorded"/>.</summary>
/// <param name="Outcome">delivered, withheld or retracted.</param>
public sealed record DisclosureDecision(Guid DisclosureId, string Category, string Outcome, string BasisOrReason, Guid? ConsentId);

/// <summary>
/// Routing decided every category of one update for one recipient: each delivered on a basis or
/// withheld with a reason. Audited as one entry per category. One message per recipient, not per
/// category: measured, per-category messages were 6 of the 9 messages a certificate caused.
/// </summary>
public sealed record DisclosuresRecorded(
    Guid UpdateId,
    PersonReference Person,
    PartyReference Recipient,
    IReadOnlyList<DisclosureDecision> Decisions,
    DateTimeOffset DecidedAt);
