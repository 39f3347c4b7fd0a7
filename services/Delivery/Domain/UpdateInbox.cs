using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Delivery.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Domain;

/// <summary>
/// Stores routed updates in the recipient's inbox after checking consent again, and takes back
/// what a withdrawal overtook. Works in the caller's transaction (a consumer's inbox transaction).
/// </summary>
public sealed class UpdateInbox<TContext>(TContext db, TimeProvider time, WebhookTargets<TContext> webhooks, DeliverySignal<TContext> signal, ConsentConfirmation consents)
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
        var withdrawnAt = await db.WithdrawalsOfAsync(update.Person.PersonKey, cancellationToken);
        var consentIds = update.Bases.Where(b => b.ConsentId is not null).Select(b => b.ConsentId!.Value).Distinct().ToList();
        if (consentIds.Count > 0)
        {
            // Shared as of the registry's answer: the caller holds this database's write turn, so
            // the instants stay in the order the rows are stored (webhooks push in that order).
            var confirmed = await consents.ConfirmAsync(consentIds, cancellationToken);
            var known = withdrawnAt;
            withdrawnAt = id => confirmed.EndedAt.TryGetValue(id, out var ended) ? ended : known(id);
            now = confirmed.AsOf;
        }

        var deliverable = update.WithoutWithdrawnConsents(withdrawnAt, now);
        ReportWithheld(update, deliverable, now);
        if (!deliverable.HasContent)
        {
            return;
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
    /// Keeps the withdrawal, and takes the consent's categories out of updates stored at or after
    /// its instant: they were stored before this adapter heard of it, so they count as withheld.
    /// </summary>
    public async Task WithdrawAsync(ConsentWithdrawn withdrawal, CancellationToken cancellationToken)
    {
        var known = await db.WithdrawnConsents.SingleOrDefaultAsync(w => w.ConsentId == withdrawal.ConsentId, cancellationToken);
        if (known is null)
        {
            db.WithdrawnConsents.Add(new WithdrawnConsent
            {
                ConsentId = withdrawal.ConsentId, PersonKey = withdrawal.Person.PersonKey, WithdrawnAt = withdrawal.WithdrawnAt,
            });
        }
        else if (withdrawal.WithdrawnAt < known.WithdrawnAt)
        {
            known.WithdrawnAt = withdrawal.WithdrawnAt;
        }

        var overtaken = await db.DeliveredUpdates
            .Where(u => u.PersonKey == withdrawal.Person.PersonKey && u.Visible && u.StoredAt >= withdrawal.WithdrawnAt)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var stored in overtaken)
        {
            var update = Read(stored);
            var deliverable = update.WithoutWithdrawnConsents(id => id == withdrawal.ConsentId ? withdrawal.WithdrawnAt : null, stored.StoredAt);
            if (ReferenceEquals(deliverable, update))
            {
                continue;
            }

            ReportWithheld(update, deliverable, now);
            stored.Content = JsonSerializer.Serialize(deliverable, ContentJson);
            if (!deliverable.HasContent)
            {
                stored.Visible = false;
                if (stored.WebhookStatus == WebhookStatus.Pending)
                {
                    stored.WebhookStatus = WebhookStatus.Withheld;
                    stored.NextAttemptAt = null;
                }
            }
        }
    }

    public static DeliverUpdate Read(DeliveredUpdate stored) =>
        JsonSerializer.Deserialize<DeliverUpdate>(stored.Content, ContentJson)
        ?? throw new InvalidOperationException($"Update {stored.Id} has no content.");

    private void ReportWithheld(DeliverUpdate routed, DeliverUpdate deliverable, DateTimeOffset at)
    {
        if (ReferenceEquals(routed, deliverable))
        {
            return;
        }

        var newlyWithheld = deliverable.Withheld.Skip(routed.Withheld.Count).ToList();
        db.Publish(new UpdateWithheldAtDelivery(routed.UpdateId, routed.Person, routed.Recipient, newlyWithheld, at));
    }
}
