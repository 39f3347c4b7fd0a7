using System.Diagnostics;
using System.Text.Json;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Telemetry;
using IntegrationHub.Messaging.Transport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows, in order, once they are due. At-least-once: a crash between
/// publish and marking the row publishes it again, with the same message id, and the receiving
/// inbox discards the repeat.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    CommandAddresses addresses,
    OutboxSignal<TContext> signal,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : MessagingDbContext
{
    private DateTimeOffset _lastCleanup;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        // The first cleanup one interval after start: a backlog to dispatch comes first.
        _lastCleanup = time.GetUtcNow();

        while (!stoppingToken.IsCancellationRequested)
        {
            var dispatched = 0;
            try
            {
                dispatched = await DispatchDueAsync(settings.BatchSize, stoppingToken);
                if (time.GetUtcNow() - _lastCleanup >= settings.CleanupInterval)
                {
                    _lastCleanup = time.GetUtcNow();
                    await CleanupAsync(stoppingToken);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: what is left is dispatched after the next start.
                return;
            }
            catch (Exception ex)
            {
                LogDispatchFailed(logger, ex, typeof(TContext).Name);
                await Task.Delay(settings.FailureBackoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            // A full batch means more may be waiting: go again without sleeping.
            if (dispatched < settings.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Waits until every hosted service, the bus among them, has started: before that, the
    /// receive endpoints of this process are not yet bound and a publish could be dropped.
    /// </summary>
    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Publishes one batch of due rows. Answers how many were published. Rows about one person are
    /// one lane, published one after another in commit order; lanes go concurrently, up to
    /// <see cref="OutboxOptions.PublishWindow"/> at a time, so the broker's confirms overlap instead of
    /// each waiting for the last. Rows that name no person share one lane.
    /// </summary>
    public async Task<int> DispatchDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow();
        var due = await db.OutboxMessages
            .Where(m => m.DispatchedAt == null && m.DueAt <= now)
            .OrderBy(m => m.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);

        // A row that does not read (an unknown type, say) fails in the shared lane when its turn comes.
        var lanes = due.Select(row => (Row: row, Message: TryRead(row))).GroupBy(m => m.Message is { } message ? OutboxLanes.KeyOf(message) : string.Empty).ToList();
        var published = 0;
        Exception? failure = null;
        await Parallel.ForEachAsync(
            lanes,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.PublishWindow) },
            async (lane, _) =>
            {
                foreach (var (row, message) in lane)
                {
                    try
                    {
                        await PublishAsync(row, message ?? Read(row), cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        // The rest of this person's rows wait, so their order is kept; the failed one is retried next round.
                        row.Attempts++;
                        row.LastError = Truncate(ex.Message, 2000);
                        Interlocked.CompareExchange(ref failure, ex, null);
                        return;
                    }

                    row.DispatchedAt = time.GetUtcNow();
                    Interlocked.Increment(ref published);
                }
            });

        if (published > 0 || failure is not null)
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }

        if (failure is not null)
        {
            throw failure;
        }

        return published;
    }

    private static object? TryRead(OutboxMessage row)
    {
        try
        {
            return Read(row);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    private static object Read(OutboxMessage row) =>
        JsonSerializer.Deserialize(row.Body, MessageTypeNames.Resolve(row.MessageType), MessagingDbContext.BodyJson)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty body.");

    /// <summary>Publishes (or sends) one row with its own id; a publish the broker does not confirm in time counts as failed.</summary>
    private async Task PublishAsync(OutboxMessage row, object message, CancellationToken cancellationToken)
    {
        var type = message.GetType();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        // The publish continues the trace of the request or message that wrote the row. Without a
        // listener (no OpenTelemetry) a plain activity still carries the trace id into the logs.
        using var activity = row.TraceParent is null
            ? null
            : HubTelemetryNames.Messaging.StartActivity("outbox publish", ActivityKind.Producer, row.TraceParent)?.SetTag("messaging.message.type", row.MessageType)
              ?? new Activity("outbox publish").SetParentId(row.TraceParent).Start();

        void SetIds(SendContext context) => context.MessageId = row.MessageId;

        try
        {
            if (row.Destination is null)
            {
                await bus.Publish(message, type, Pipe.Execute<PublishContext>(SetIds), timeout.Token);
            }
            else
            {
                var endpoint = await bus.GetSendEndpoint(addresses.For(row.Destination));
                await endpoint.Send(message, type, Pipe.Execute<SendContext>(SetIds), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm the publish within {options.Value.PublishTimeout}.");
        }
    }

    /// <summary>
    /// Deletes dispatched outbox rows older than <see cref="OutboxOptions.Retention"/> and inbox rows
    /// older than <see cref="OutboxOptions.InboxRetention"/>, a chunk at a time: each chunk is found
    /// by a read that takes no write turn, then deleted by key in a short one, so writers never wait
    /// behind a long delete. Answers how many rows went.
    /// </summary>
    public async Task<int> CleanupAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var outboxCutoff = now - settings.Retention;
        var inboxCutoff = now - settings.InboxRetention;
        var deleted = await DeleteInChunksAsync(
            db => db.OutboxMessages.Where(m => m.DispatchedAt != null && m.DispatchedAt < outboxCutoff).OrderBy(m => m.Id).Select(m => m.Id),
            (db, ids) => db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        deleted += await DeleteInChunksAsync(
            db => db.InboxMessages.Where(m => m.ProcessedAt < inboxCutoff).Select(m => m.MessageId).Distinct().OrderBy(id => id),
            (db, messageIds) => db.InboxMessages.Where(m => messageIds.Contains(m.MessageId) && m.ProcessedAt < inboxCutoff).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        return deleted;
    }

    /// <summary>Finds a chunk of keys with a read outside the write turn, deletes them in a short one, and goes on while chunks come back full.</summary>
    private async Task<int> DeleteInChunksAsync<TKey>(
        Func<TContext, IQueryable<TKey>> find, Func<TContext, List<TKey>, Task<int>> delete, CancellationToken cancellationToken)
    {
        var chunk = options.Value.CleanupChunk;
        var deleted = 0;
        int found;
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var keys = await find(db).Take(chunk).ToListAsync(cancellationToken);
            found = keys.Count;
            if (found > 0)
            {
                using var turn = await SqliteWriteGate.EnterAsync(db.Database, cancellationToken);
                deleted += await delete(db, keys);
            }
        }
        while (found == chunk);

        return deleted;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch for {Context} failed; will retry")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, string context);
}
