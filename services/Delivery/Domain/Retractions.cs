using System.Text.Json;

namespace IntegrationHub.Delivery.Domain;

/// <summary>Retraction calls to a webhook: rows of their own in the push order, never shown in the inbox.</summary>
public static class Retractions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A pending push that takes <paramref name="categories"/> of <paramref name="pushed"/> back, behind it in the per-person order.</summary>
    public static DeliveredUpdate CallFor(DeliveredUpdate pushed, IReadOnlyList<string> categories, bool withdrawn, DateTimeOffset now, string reason = Contracts.RetractUpdates.Reason)
    {
        var id = Guid.NewGuid();
        return new DeliveredUpdate
        {
            Id = id,
            PersonKey = pushed.PersonKey,
            RecipientKind = pushed.RecipientKind,
            RecipientId = pushed.RecipientId,
            Source = "hub",
            Kind = UpdateKinds.Retraction,
            OccurredAt = now,
            StoredAt = now,
            Content = JsonSerializer.Serialize(
                new RetractionView(id, UpdateKinds.Retraction, pushed.Id, pushed.PersonKey, categories, withdrawn, reason, now), Json),
            Visible = false,
            WebhookStatus = WebhookStatus.Pending,
            NextAttemptAt = now,
        };
    }
}
