namespace IntegrationHub.Contracts;

/// <summary>Category contact-status: whether someone reached the person, how, and a neutral sentence about it.</summary>
/// <param name="Outcome">reached, not-reached, appointment-kept, appointment-missed, or an engagement signal code.</param>
/// <param name="Channel">phone, sms, office, home-visit, outreach, video, ... when known.</param>
/// <param name="Summary">Plain bokmål, written by the hub, never stigmatising.</param>
public sealed record ContactStatus(string Outcome, string? Channel, string Summary);

/// <summary>Category case-status: the state of the person's NAV case.</summary>
/// <param name="Status">opened or closed.</param>
public sealed record CaseStatus(string CaseId, string Status, string? CaseType, string? Outcome, string NavOffice);
