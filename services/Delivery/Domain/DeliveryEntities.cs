using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Leases;

namespace IntegrationHub.Delivery.Domain;

public static class WebhookStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>The recipient has no webhook: the inbox is the delivery.</summary>
    public const string NotConfigured = "not-configured";

    /// <summary>Taken back before it was pushed: a withdrawal retracted everything in it.</summary>
    public const string Withheld = "withheld";
}

public static class UpdateKinds
{
    /// <summary>A new responsible advisor or caseworker gets the person's timeline so far.</summary>
    public const string HandoverSummary = "handover-summary";

    /// <summary>A retraction call for the webhook: never shown in the inbox, pushed in order after what it takes back.</summary>
    public const string Retraction = "retraction";
}

/// <summary>
/// An update in a recipient's inbox (NAV office, municipality). It stays here whatever happens to
/// the webhook, so nothing depends on the receiver being up.
/// </summary>
public sealed class DeliveredUpdate
{
    private string _personKey = string.Empty;

    /// <summary>Routing's update id; also the webhook's Idempotency-Key.</summary>
    public Guid Id { get; set; }

    public required string PersonKey
    {
        get => _personKey;
        set
        {
            _personKey = value;
            Partition = DutyPartitions.Of(value);
        }
    }

    /// <summary>Follows <see cref="PersonKey"/>: the instance holding this partition pushes the webhook, each person's in order.</summary>
    public int Partition { get; set; }

    public PartyKind RecipientKind { get; set; }

    public required string RecipientId { get; set; }

    public string? RecipientUser { get; set; }

    public required string Source { get; set; }

    public required string Kind { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset StoredAt { get; set; }

    /// <summary>The <see cref="DeliverUpdate"/> as delivered (retracted categories taken out), JSON; for a retraction, its <see cref="RetractionView"/>.</summary>
    public required string Content { get; set; }

    /// <summary>Set when the source corrected the update (<see cref="Contracts.CorrectUpdates"/>): its content is gone and staff see why.</summary>
    public string? Correction { get; set; }

    /// <summary>False once a withdrawal retracted every category, and always for a retraction call.</summary>
    public bool Visible { get; set; } = true;

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public required string WebhookStatus { get; set; }

    public int WebhookAttempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? WebhookDeliveredAt { get; set; }
}

/// <summary>One call to a recipient's webhook and how it went: the delivery status history.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }

    public Guid UpdateId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>delivered, failed or circuit-open.</summary>
    public required string Outcome { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }
}

/// <summary>
/// An update a withdrawal retracted before it arrived here (the retraction overtook it on the queue):
/// when it comes, these categories are left out, and nothing of it is stored if none is left.
/// </summary>
public sealed class RetractedBeforeArrival
{
    public Guid UpdateId { get; set; }

    /// <summary>Comma-separated category codes.</summary>
    public required string Categories { get; set; }

    /// <summary>Set when the source corrected the update before it came: then nothing of it is stored.</summary>
    public string? Correction { get; set; }

    public DateTimeOffset RetractedAt { get; set; }
}

/// <summary>The body of a retraction call to a webhook: which update to take back, and which of its categories.</summary>
/// <param name="RetractionId">Also the call's Idempotency-Key.</param>
/// <param name="Retracts">The update taken back (its Idempotency-Key when it was pushed).</param>
/// <param name="Withdrawn">True when nothing of the update is left: disregard all of it.</param>
public sealed record RetractionView(Guid RetractionId, string Kind, Guid Retracts, string PersonKey, IReadOnlyList<string> Categories, bool Withdrawn, string Reason, DateTimeOffset RetractedAt);
