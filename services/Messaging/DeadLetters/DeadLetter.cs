namespace IntegrationHub.Messaging.DeadLetters;

/// <summary>
/// A message that failed every retry. Kept with its original envelope so an admin can see why
/// and replay it to the queue it came from once the cause is fixed.
/// </summary>
public sealed class DeadLetter
{
    public Guid Id { get; set; }

    public Guid? MessageId { get; set; }

    public required string Queue { get; set; }

    public string? MessageType { get; set; }

    public required string ContentType { get; set; }

    /// <summary>The message as it came, sealed with <see cref="Persistence.AtRestCipher"/>: it may hold a person's data.</summary>
    public required string Envelope { get; set; }

    public required string ExceptionType { get; set; }

    public required string ExceptionMessage { get; set; }

    public DateTimeOffset FailedAt { get; set; }

    public DateTimeOffset? ReplayedAt { get; set; }

    public int ReplayCount { get; set; }

    public static string BoundTo(Guid id) => $"dead-letter/{id:N}";
}
