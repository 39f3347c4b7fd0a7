using IntegrationHub.Contracts;

namespace IntegrationHub.Delivery.Domain;

public static class WebhookStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>The recipient has no webhook: the inbox is the delivery.</summary>
    public const string NotConfigured = "not-configured";

    /// <summary>Nothing was left to push once withdrawn consents were taken out.</summary>
    public const string Withheld = "withheld";
}

public static class UpdateKinds
{
    /// <summary>A new responsible advisor or caseworker gets the person's timeline so far.</summary>
    public const string HandoverSummary = "handover-summary";
}

/// <summary>
/// An update in a recipient's inbox (NAV office, municipality). It stays here whatever happens to
/// the webhook, so nothing depends on the receiver being up.
/// </summary>
public sealed class DeliveredUpdate
{
    /// <summary>Routing's update id; also the webhook's Idempotency-Key.</summary>
    public Guid Id { get; set; }

    public required string PersonKey { get; set; }

    public PartyKind RecipientKind { get; set; }

    public required string RecipientId { get; set; }

    public string? RecipientUser { get; set; }

    public required string Source { get; set; }

    public required string Kind { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset StoredAt { get; set; }

    /// <summary>The <see cref="DeliverUpdate"/> as delivered (withdrawn consents already taken out), JSON.</summary>
    public required string Content { get; set; }

    /// <summary>False once every category was taken out again by a withdrawal that raced the update.</summary>
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

/// <summary>The adapter's own copy of withdrawals, so it can check consent again at delivery without asking another module.</summary>
public sealed class WithdrawnConsent
{
    public Guid ConsentId { get; set; }

    public required string PersonKey { get; set; }

    public DateTimeOffset WithdrawnAt { get; set; }
}
