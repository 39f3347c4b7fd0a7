namespace IntegrationHub.Messaging.Inbox;

/// <summary>A message a consumer has processed; its key makes redelivery a no-op.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public required string Consumer { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
