namespace IntegrationHub.Contracts;

/// <summary>NAV closed the person's case; follow-up under it ends.</summary>
/// <param name="Outcome">cleared-for-work, cleared-for-disability-benefit or other.</param>
public sealed record WorkAssessmentCaseClosed(
    Guid EventId,
    PersonReference Person,
    string CaseId,
    string NavOffice,
    string Outcome,
    DateTimeOffset OccurredAt);
