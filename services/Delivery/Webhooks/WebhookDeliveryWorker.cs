using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Messaging.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Delivery.Webhooks;

/// <summary>
/// Pushes pending inbox updates to the recipients' webhooks. State lives in the database: a failed
/// attempt sets the next one further off, so an update waits out any outage, also across restarts,
/// and stays in the inbox meanwhile. Runs one attempt at a time per adapter; see the module notes.
/// </summary>
public sealed partial class WebhookDeliveryWorker<TContext>(
    IServiceScopeFactory scopes,
    WebhookTargets<TContext> targets,
    WebhookSender<TContext> sender,
    DeliverySignal<TContext> signal,
    TimeProvider time,
    IOptions<LeaseOptions> leaseOptions,
    ILogger<WebhookDeliveryWorker<TContext>> logger) : BackgroundService
    where TContext : DeliveryDbContext
{
    // Instances sharing the database divide the pushes by person; alone, this one holds every partition.
    private readonly PartitionLeases<TContext> _leases = new(scopes, "webhooks", leaseOptions.Value, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renewing = _leases.KeepRenewingAsync(stoppingToken);
        await DeliverUntilStoppedAsync(stoppingToken);
        await renewing;
        await _leases.ReleaseAtStopAsync();
    }

    private async Task DeliverUntilStoppedAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex, typeof(TContext).Name);
            }

            if (handled < targets.Options.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(targets.Options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// One round: every update whose next attempt is due, oldest first, and in order per person: an
    /// update waits while an earlier one for the same person and recipient is still pending, so a
    /// receiver that was down gets each person's backlog in the order it happened. Answers how many
    /// it attempted.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var held = await _leases.HeldAsync(cancellationToken);
        if (held.Length == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow();
        var pending = db.DeliveredUpdates.Where(u => u.WebhookStatus == WebhookStatus.Pending && u.NextAttemptAt <= now);
        var due = await (held.Length == DutyPartitions.Count ? pending : pending.Where(u => held.Contains(u.Partition)))
            .Where(u => !db.DeliveredUpdates.Any(earlier => earlier.WebhookStatus == WebhookStatus.Pending
                && earlier.PersonKey == u.PersonKey && earlier.RecipientId == u.RecipientId
                && earlier.StoredAt < u.StoredAt && earlier.NextAttemptAt > now))
            .OrderBy(u => u.StoredAt)
            .Take(targets.Options.BatchSize)
            .ToListAsync(cancellationToken);
        var waiting = new HashSet<(string PersonKey, string RecipientId)>();
        var attempted = 0;
        foreach (var stored in due)
        {
            // An earlier update for this person failed in this round: this one waits behind it.
            if (waiting.Contains((stored.PersonKey, stored.RecipientId)))
            {
                continue;
            }

            // The round's list may be stale: a retraction may have changed the row since.
            await db.Entry(stored).ReloadAsync(cancellationToken);
            if (stored.WebhookStatus != WebhookStatus.Pending)
            {
                continue;
            }

            var pushed = await AttemptAsync(db, stored, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (pushed is not null)
            {
                await RecordPushRacedByRetractionAsync(db, stored, pushed, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Nothing reached the receiver, and the row changed meanwhile: keep the attempt's history, retry the row as it is now.
                await db.Entry(stored).ReloadAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            attempted++;
            if (stored.WebhookStatus == WebhookStatus.Pending)
            {
                waiting.Add((stored.PersonKey, stored.RecipientId));
            }
        }

        return attempted;
    }

    /// <summary>
    /// A retraction changed the row while its push was on the wire (the row's content and status
    /// are concurrency tokens), so the receiver may hold categories since taken back: it gets a
    /// retraction call for them, after the update in its per-person order.
    /// </summary>
    private async Task RecordPushRacedByRetractionAsync(TContext db, DeliveredUpdate stored, DeliverUpdate pushed, CancellationToken cancellationToken)
    {
        await db.Entry(stored).ReloadAsync(cancellationToken);
        var now = time.GetUtcNow();
        var current = stored.Kind == UpdateKinds.Retraction ? null : UpdateInbox<TContext>.Read(stored);
        var takenBack = pushed.Bases.Select(b => b.Category).Except(current?.Bases.Select(b => b.Category) ?? [], StringComparer.Ordinal).ToList();
        stored.WebhookStatus = WebhookStatus.Delivered;
        stored.WebhookDeliveredAt = now;
        stored.NextAttemptAt = null;
        if (takenBack.Count > 0)
        {
            db.DeliveredUpdates.Add(Retractions.CallFor(stored, takenBack, withdrawn: current is { HasContent: false }, now));
            signal.Notify();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>One push; answers what was pushed when the receiver took it, else null.</summary>
    private async Task<DeliverUpdate?> AttemptAsync(TContext db, DeliveredUpdate stored, CancellationToken cancellationToken)
    {
        var url = targets.UrlFor(stored.RecipientId);
        if (url is null)
        {
            stored.WebhookStatus = WebhookStatus.NotConfigured;
            stored.NextAttemptAt = null;
            return null;
        }

        // A retraction call's body is stored as it is sent; an update's is its view.
        var update = stored.Kind == UpdateKinds.Retraction ? null : UpdateInbox<TContext>.Read(stored);
        var body = update is null ? stored.Content : JsonSerializer.Serialize(UpdateView.From(stored, update), UpdateInbox<TContext>.ContentJson);
        var result = await sender.SendAsync(url, stored.Id, body, targets.SecretFor(stored.RecipientId), cancellationToken);
        foreach (var call in result.Calls)
        {
            db.WebhookAttempts.Add(new WebhookAttempt
            {
                UpdateId = stored.Id,
                At = call.At,
                Outcome = call.Succeeded ? WebhookStatus.Delivered : "failed",
                StatusCode = call.StatusCode,
                Error = call.Error,
            });
        }

        if (result.Delivered)
        {
            stored.WebhookStatus = WebhookStatus.Delivered;
            stored.WebhookDeliveredAt = time.GetUtcNow();
            stored.NextAttemptAt = null;
            return update;
        }

        if (result.CircuitOpen)
        {
            db.WebhookAttempts.Add(new WebhookAttempt { UpdateId = stored.Id, At = time.GetUtcNow(), Outcome = "circuit-open" });
        }

        stored.WebhookAttempts++;
        stored.NextAttemptAt = time.GetUtcNow() + (result.CircuitOpen ? targets.Options.BreakDuration : targets.BackoffAfter(stored.WebhookAttempts));
        LogAttemptFailed(logger, stored.Id, stored.RecipientId, stored.WebhookAttempts, stored.NextAttemptAt.Value);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery round for {Adapter} failed; it is tried again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string adapter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery of update {UpdateId} to {Recipient} failed (attempt {Attempt}); next at {NextAttemptAt}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid updateId, string recipient, int attempt, DateTimeOffset nextAttemptAt);
}
