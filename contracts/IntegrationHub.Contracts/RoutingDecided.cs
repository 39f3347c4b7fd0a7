namespace IntegrationHub.Contracts;

/// <summary>One recipient's part of <see cref="RoutingDecided"/>: the update it was decided for, and each category's decision.</summary>
public sealed record RecipientDecisions(Guid UpdateId, PartyReference Recipient, IReadOnlyList<DisclosureDecision> Decisions);

/// <summary>
/// Routing decided one event for every recipient at once: for each, every category delivered on a
/// basis or withheld with a reason. Audited as one entry per recipient and category. One message
/// per routing, not per recipient: with one per recipient, a certificate for a person followed by
/// NAV and a municipality caused two audit transactions where one does (measured 2026-12-02).
/// </summary>
public sealed record RoutingDecided(Guid SourceEventId, PersonReference Person, IReadOnlyList<RecipientDecisions> Recipients, DateTimeOffset DecidedAt);
