namespace IntegrationHub.Contracts;

/// <summary>One category's decision within <see cref="DisclosuresRecorded"/>.</summary>
/// <param name="Outcome">delivered, withheld or retracted.</param>
public sealed record DisclosureDecision(Guid DisclosureId, string Category, string Outcome, string BasisOrReason, Guid? ConsentId);

/// <summary>
/// Decisions about one update for one recipient, after the routing itself (a retraction; routing
/// sends <see cref="RoutingDecided"/>): each category's outcome with its basis or reason. Audited as
/// one entry per category.
/// </summary>
public sealed record DisclosuresRecorded(
    Guid UpdateId,
    PersonReference Person,
    PartyReference Recipient,
    IReadOnlyList<DisclosureDecision> Decisions,
    DateTimeOffset DecidedAt);
