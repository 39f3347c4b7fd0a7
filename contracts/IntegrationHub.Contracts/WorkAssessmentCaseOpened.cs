namespace IntegrationHub.Contracts;

/// <summary>NAV opened a case for the person; follow-up starts.</summary>
/// <param name="CaseType">arbeidsavklaring, sykefravaer or oppfolging.</param>
/// <param name="NavOffice">NAV unit number, 4 digits.</param>
public sealed record WorkAssessmentCaseOpened(
    Guid EventId,
    PersonReference Person,
    string CaseId,
    string CaseType,
    string NavOffice,
    string? Advisor,
    DateTimeOffset OccurredAt)
{
    /// <summary>
    /// The person's identifier sealed with the hub's secret (never in clear on the bus), for the
    /// KRR lookup coordination makes when a case opens.
    /// </summary>
    public string? SealedIdentifier { get; init; }
}
