namespace IntegrationHub.Contracts;

/// <summary>
/// NAV made an advisor responsible for a person's case (also at case opening). A change of advisor
/// is a risk signal: the new advisor gets a handover so the person need not retell their story.
/// </summary>
/// <param name="NavOffice">NAV unit number, 4 digits.</param>
/// <param name="Advisor">NAV ident (letter and 6 digits).</param>
public sealed record AdvisorAssigned(
    Guid EventId,
    PersonReference Person,
    string CaseId,
    string NavOffice,
    string Advisor,
    string? PreviousAdvisor,
    DateTimeOffset OccurredAt);
