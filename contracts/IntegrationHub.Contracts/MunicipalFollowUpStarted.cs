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
    DateTimeOffset OccurredAt)
{
    /// <summary>
    /// The person's identifier sealed with the hub's secret, for coordination's KRR lookup. It
    /// travels here, not only in the <see cref="PersonIdentified"/> published beside it, because
    /// coordination takes the two in separate transactions: each saw the other not yet committed,
    /// and nobody asked KRR about a person only a municipality follows.
    /// </summary>
    public string? SealedIdentifier { get; init; }
}
