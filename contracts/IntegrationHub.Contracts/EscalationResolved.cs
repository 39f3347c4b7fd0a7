namespace IntegrationHub.Contracts;

/// <summary>A coordinator closed an escalation: the person was reached, handed to the municipal contact, declined, moved or died.</summary>
/// <param name="Resolution">reached, handed-to-municipal-contact, person-declined, moved or died.</param>
/// <param name="Summary">Plain bokmål for the NAV advisor and caseworker, e.g. "Nådd ved hjemmebesøk 22.11.2026."</param>
public sealed record EscalationResolved(
    Guid EscalationId,
    PersonReference Person,
    string Resolution,
    string? Channel,
    string Summary,
    DateTimeOffset ResolvedAt);
