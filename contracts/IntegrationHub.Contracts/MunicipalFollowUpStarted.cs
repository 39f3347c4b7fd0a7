namespace IntegrationHub.Contracts;

/// <summary>A municipal service says it follows the person ("our service follows this person").</summary>
/// <param name="Municipality">Municipality number, 4 digits.</param>
/// <param name="Service">addiction, mental-health, housing or other.</param>
public sealed record MunicipalFollowUpStarted(
    Guid EventId,
    PersonReference Person,
    string Municipality,
    string Caseworker,
    string Service,
    DateTimeOffset OccurredAt);
