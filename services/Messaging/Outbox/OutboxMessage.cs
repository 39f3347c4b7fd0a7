namespace IntegrationHub.Messaging.Outbox;

/// <summary>
/// A message committed together with the state change that caused it, published afterwards by
/// <see cref="OutboxDispatcher{TContext}"/>. A row with a future <see cref="DueAt"/> is a durable timer.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Database sequence: dispatch order.</summary>
    public long Id { get; set; }

    /// <summary>Becomes the bus message id, so a re-publish after a crash is caught by the receiver's inbox.</summary>
    public Guid MessageId { get; set; }

    public required string MessageType { get; set; }

    public required string Body { get; set; }

    /// <summary>Queue name for a command sent point-to-point; null publishes an event.</summary>
    public string? Destination { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary>Names a timer so it can be rescheduled or cancelled before it fires.</summary>
    public string? TimerKey { get; set; }

    public string? TraceParent { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>Of its person's lane (<see cref="Leases.DutyPartitions"/>): the instance holding this partition publishes the row.</summary>
    public int Partition { get; set; }
}
