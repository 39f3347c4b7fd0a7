namespace IntegrationHub.Contracts;

/// <summary>
/// A person is not being reached, or nobody has had contact for too long: a human coordinator
/// follows up. Information for people to act on; never grounds for a sanction.
/// </summary>
/// <param name="Level">1 when first raised; one more each time it is raised again for want of acknowledgement.</param>
/// <param name="Reasons">Rule codes, e.g. krr-reserved, follow-up-clock.</param>
/// <param name="Summary">Plain bokmål for the NAV advisor and caseworker.</param>
public sealed record EscalationRaised(
    Guid EscalationId,
    PersonReference Person,
    int Level,
    IReadOnlyList<string> Reasons,
    string Summary,
    DateTimeOffset RaisedAt);
