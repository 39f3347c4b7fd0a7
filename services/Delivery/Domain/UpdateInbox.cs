using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Delivery.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Domain;

/// <summary>
/// Stores routed updates in the recipient's inbox as routing decided them, and takes back what a
/// withdrawal retracts. Works in the caller's transaction (a consumer's inbox transaction).
/// </summary>
public sealed class UpdateInbox<TContext>(TContext db, TimeProvider time, WebhookTargets<TContext> webhooks, DeliverySignal<TContext> signal)
    where TContext : DeliveryDbContext
{
    internal static readonly JsonSerializerOptions ContentJson = new(JsonSerializerDefaults.Web);

    public async Task StoreAsync(DeliverUpdate update, CancellationToken cancellationToken)
    {
        // The same update sent twice (a replay under a new message id) is stored once.
        if (await db.DeliveredUpdates.AnyAsync(u => u.Id == update.UpdateId, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var deliverable = update;
        if (await db.RetractedBeforeArrival.SingleOrDefaultAsync(r => r.UpdateId == update.UpdateId, cancellationToken) is { } retraction)
        {
            if (retraction.Correction is not null)
            {
                // Corrected by its source before it came: staff never saw it, so nothing of it is kept.
                return;
            }

            // Routing has had this update's retraction reported already: it counts as taken back.
            deliverable = update.Retract(retraction.Categories.Split(',').ToHashSet(StringComparer.Ordinal), RetractUpdates.Reason);
            if (!deliverable.HasContent)
            {
                return;
            }
        }

        var target = webhooks.UrlFor(update.Recipient.Id);
        db.DeliveredUpdates.Add(new DeliveredUpdate
        {
            Id = update.UpdateId,
            PersonKey = update.Person.PersonKey,
            RecipientKind = update.Recipient.Kind,
            RecipientId = update.Recipient.Id,
            RecipientUser = update.RecipientUser,
            Source = update.Source,
            Kind = update.Kind,
            OccurredAt = update.OccurredAt,
            StoredAt = now,
            Content = JsonSerializer.Serialize(deliverable, ContentJson),
            WebhookStatus = target is null ? WebhookStatus.NotConfigured : WebhookStatus.Pending,
            NextAttemptAt = target is null ? null : now + webhooks.Options.HoldBack,
        });
        if (target is not null)
        {
            signal.Notify();
        }
    }

    /// <summary>
    /// Puts a handover summary in the new responsible person's inbox. Its content is the timeline,
    /// built when it is read, so it always shows only what consent allows at that moment.
    /// </summary>
    public void AddHandover(PersonReference person, PartyReference recipient, string newResponsible, DateTimeOffset handoverAt)
    {
        var marker = new DeliverUpdate(
            Guid.NewGuid(), Guid.Empty, person, recipient, newResponsible, "hub", UpdateKinds.HandoverSummary, handoverAt, [], [], null, null, null);
        db.DeliveredUpdates.Add(new DeliveredUpdate
        {
            Id = marker.UpdateId,
            PersonKey = person.PersonKey,
            RecipientKind = recipient.Kind,
            RecipientId = recipient.Id,
            RecipientUser = newResponsible,
            Source = marker.Source,
            Kind = marker.Kind,
            OccurredAt = handoverAt,
            StoredAt = time.GetUtcNow(),
            Content = JsonSerializer.Serialize(marker, ContentJson),
            WebhookStatus = WebhookStatus.NotConfigured,
        });
    }

    /// <summary>
    /// Takes back the consent-based categories of the named updates wherever the recipient has not
    /// read them yet: from the inbox, from a push still pending, and with a retraction call where
    /// the webhook already had them. An update read by the recipient's staff stays (it is in their
    /// records). One not yet here is taken back when it comes. Routing is told what was taken back.
    /// </summary>
    public async Task RetractAsync(RetractUpdates retraction, CancellationToken cancellationToken)
    {
        var ids = retraction.Updates.Select(u => u.UpdateId).ToList();
        var stored = await db.DeliveredUpdates.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var early = await db.RetractedBeforeArrival.Where(r => ids.Contains(r.UpdateId)).ToDictionaryAsync(r => r.UpdateId, cancellationToken);
        var now = time.GetUtcNow();
        var retracted = new List<RetractedUpdate>();
        var alreadyRead = new List<Guid>();
        foreach (var named in retraction.Updates)
        {
            if (!stored.TryGetValue(named.UpdateId, out var row))
            {
                if (early.TryGetValue(named.UpdateId, out var known))
                {
                    // Another consent's withdrawal got there first: both take their categories back.
                    known.Categories = string.Join(',', known.Categories.Split(',').Union(named.Categories, StringComparer.Ordinal));
                }
                else
                {
                    db.RetractedBeforeArrival.Add(new RetractedBeforeArrival { UpdateId = named.UpdateId, Categories = string.Join(',', named.Categories), RetractedAt = now });
                }

                retracted.Add(named);
                continue;
            }

            if (row.AcknowledgedAt is not null)
            {
                alreadyRead.Add(row.Id);
                continue;
            }

            var update = Read(row);
            var remaining = update.Retract(named.Categories.ToHashSet(StringComparer.Ordinal), RetractUpdates.Reason);
            if (ReferenceEquals(remaining, update))
            {
                continue;
            }

            row.Content = JsonSerializer.Serialize(remaining, ContentJson);
            row.Visible = remaining.HasContent;
            retracted.Add(named);
            if (row.WebhookStatus == WebhookStatus.Delivered)
            {
                db.DeliveredUpdates.Add(Retractions.CallFor(row, named.Categories, withdrawn: !remaining.HasContent, now));
                signal.Notify();
            }
            // A push on the wire now finds the row changed when it saves, and sends the retraction call itself.
            else if (row.WebhookStatus == WebhookStatus.Pending && !remaining.HasContent)
            {
                row.WebhookStatus = WebhookStatus.Withheld;
                row.NextAttemptAt = null;
            }
        }

        db.Publish(new UpdatesRetracted(retraction.RetractionId, retraction.Person, retraction.Recipient, retraction.ConsentId, retracted, alreadyRead, now));
    }

    /// <summary>
    /// The source corrected these updates: their content goes wherever it reached, read or not, and
    /// the inbox, timeline and handover show the correction instead; a webhook that had them gets a
    /// retraction call. One not yet here is dropped when it comes.
    /// </summary>
    public async Task CorrectAsync(CorrectUpdates correction, CancellationToken cancellationToken)
    {
        var stored = await db.DeliveredUpdates.Where(u => correction.UpdateIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var early = await db.RetractedBeforeArrival.Where(r => correction.UpdateIds.Contains(r.UpdateId)).ToDictionaryAsync(r => r.UpdateId, cancellationToken);
        var now = time.GetUtcNow();
        var reason = CorrectUpdates.Text(correction.Correction).ToLowerInvariant();
        foreach (var id in correction.UpdateIds)
        {
            if (!stored.TryGetValue(id, out var row))
            {
                if (early.TryGetValue(id, out var known))
                {
                    known.Correction = correction.Correction;
                }
                else
                {
                    db.RetractedBeforeArrival.Add(new RetractedBeforeArrival { UpdateId = id, Categories = string.Empty, Correction = correction.Correction, RetractedAt = now });
                }

                continue;
            }

            if (row.Correction is not null)
            {
                continue;
            }

            var update = Read(row);
            var shared = update.Bases.Select(b => b.Category).ToList();
            row.Content = JsonSerializer.Serialize(update.Retract(shared.ToHashSet(StringComparer.Ordinal), reason), ContentJson);
            row.Correction = correction.Correction;
            if (row.WebhookStatus == WebhookStatus.Delivered && shared.Count > 0)
            {
                db.DeliveredUpdates.Add(Retractions.CallFor(row, shared, withdrawn: true, now, reason));
                signal.Notify();
            }
            else if (row.WebhookStatus == WebhookStatus.Pending)
            {
                row.WebhookStatus = WebhookStatus.Withheld;
                row.NextAttemptAt = null;
            }
        }
    }

    public static DeliverUpdate Read(DeliveredUpdate stored) =>
        JsonSerializer.Deserialize<DeliverUpdate>(stored.Content, ContentJson)
        ?? throw new InvalidOperationException($"Update {stored.Id} has no content.");
}
