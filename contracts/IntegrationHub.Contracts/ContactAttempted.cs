namespace IntegrationHub.Contracts;

/// <summary>Someone tried to reach the person: whether it worked, and through which channel.</summary>
/// <param name="Outcome">reached, not-reached, appointment-kept or appointment-missed.</param>
/// <param name="Reached">Whether there was real contact (reached or appointment-kept).</param>
public sealed record ContactAttempted(
    Guid AttemptId,
    PersonReference Person,
    PartyReference Source,
    string Outcome,
    string Channel,
    bool Reached,
    DateTimeOffset OccurredAt);
