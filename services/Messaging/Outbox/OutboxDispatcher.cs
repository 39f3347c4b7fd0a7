using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using IntegrationHub.Messaging.Leases;
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
    IOptions<LeaseOptions> leaseOptions,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : MessagingDbContext
{
    // Instances sharing the database divide the rows by person; alone, this one holds every partition.
    private readonly PartitionLeases<TContext> _leases = new(scopes, "outbox", leaseOptions.Value, logger);
    // Reading rows and settling them is one turn at a time: the loop's, or a caller's of DispatchDueAsync.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly SemaphoreSlim _window = new(Math.Max(1, options.Value.PublishWindow));
    private readonly Lock _lanesLock = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    // Rows handed to a lane and not yet settled in the database: a read skips them, so none goes twice.
    private readonly HashSet<long> _inFlight = [];
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private int _unsettled;
    private int _unflushed;
    private long _published;

    internal PartitionLeases<TContext> Leases => _leases;

    /// <summary>Rows this instance has published since it started.</summary>
    internal long Published => Interlocked.Read(ref _published);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        // Beside the dispatch, not in its loop: a cleanup takes seconds on a large table, and the
        // outbox stalled for that long once a cleanup interval when it ran in turn (the soak of issue 17).
        var cleanup = CleanUpEveryIntervalAsync(stoppingToken);
        var renewing = _leases.KeepRenewingAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreWaiting = false;
            try
            {
                moreWaiting = await SettleAndStartAsync(settings.BatchSize, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogDispatchFailed(logger, ex, typeof(TContext).Name);
                await Task.Delay(settings.FailureBackoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (!moreWaiting)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await SettleOnStopAsync();
        await _leases.ReleaseAtStopAsync();
        await renewing;
        await cleanup;
    }

    /// <summary>
    /// The first cleanup one interval after start: a backlog to dispatch comes first. Of instances
    /// sharing the database, the one holding the first partition cleans up.
    /// </summary>
    private async Task CleanUpEveryIntervalAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CleanupInterval, time, stoppingToken);
                if ((await _leases.HeldAsync(stoppingToken)) is not [0, ..])
                {
                    continue;
                }

                var started = Stopwatch.GetTimestamp();
                var (deleted, longestTurn) = await CleanupTimedAsync(stoppingToken);
                LogCleanedUp(logger, typeof(TContext).Name, deleted, Stopwatch.GetElapsedTime(started).TotalMilliseconds, longestTurn.TotalMilliseconds);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogCleanupFailed(logger, ex, typeof(TContext).Name);
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
    /// Publishes the rows due now and waits until each is settled: published and marked, or its
    /// failure recorded. Answers how many were published. The background loop does the same
    /// without waiting.
    /// </summary>
    public async Task<int> DispatchDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        await SettleAndStartAsync(batchSize, cancellationToken);
        await Task.WhenAll(RunningLanes());
        await _turn.WaitAsync(cancellationToken);
        var (published, failure) = await SettleInTurnAsync();
        return failure is null ? published : throw failure;
    }

    private Task[] RunningLanes()
    {
        lock (_lanesLock)
        {
            return [.. _lanes.Values.Select(lane => lane.Runner)];
        }
    }

    /// <summary>Settles in the turn the caller has taken, and gives the turn back.</summary>
    private async Task<(int Published, Exception? Failure)> SettleInTurnAsync()
    {
        try
        {
            return await SettleAsync();
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Marks what the lanes have settled since the last turn, then hands the due rows that are not
    /// in flight to their lanes. Rows about one person are one lane, published one after another in
    /// commit order; lanes go concurrently, up to <see cref="OutboxOptions.PublishWindow"/>
    /// publishes at a time, so the broker's confirms overlap. A lane takes new rows while its
    /// earlier ones are in flight, so a row never waits for another person's publish. Rows that
    /// name no person share one lane. Answers whether a full page was started, so more may be due.
    /// </summary>
    private async Task<bool> SettleAndStartAsync(int batchSize, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var (_, failure) = await SettleAsync();
            if (failure is not null)
            {
                throw failure;
            }

            var room = batchSize - _inFlight.Count;
            if (room <= 0)
            {
                // The lanes wake the loop when enough has settled.
                return false;
            }

            var held = await _leases.HeldAsync(cancellationToken);
            if (held.Length == 0)
            {
                return false;
            }

            List<OutboxMessage> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                var now = time.GetUtcNow();
                var waiting = db.OutboxMessages.AsNoTracking().Where(m => m.DispatchedAt == null && m.DueAt <= now);
                due = await (held.Length == DutyPartitions.Count ? waiting : waiting.Where(m => held.Contains(m.Partition)))
                    .OrderBy(m => m.Id)
                    .Take(batchSize + _inFlight.Count)
                    .ToListAsync(cancellationToken);
            }

            var started = 0;
            foreach (var row in due)
            {
                if (started == room)
                {
                    break;
                }

                if (!_inFlight.Contains(row.Id) && Start(row, cancellationToken))
                {
                    started++;
                }
            }

            return started == room;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Appends a row to its person's lane, starting the lane if it is idle. False when the lane failed and waits to be read again.</summary>
    private bool Start(OutboxMessage row, CancellationToken cancellationToken)
    {
        // A row that does not read (an unknown type, say) fails in the shared lane when its turn comes.
        var message = TryRead(row);
        var key = message is null ? string.Empty : OutboxLanes.KeyOf(message);
        lock (_lanesLock)
        {
            if (_lanes.TryGetValue(key, out var lane))
            {
                if (lane.Failed)
                {
                    return false;
                }
            }
            else
            {
                lane = new Lane(key);
                _lanes[key] = lane;
                lane.Runner = Task.Run(() => RunLaneAsync(lane, cancellationToken), CancellationToken.None);
            }

            // Counted before the lane can take it, so a quick publish cannot count down first.
            Interlocked.Increment(ref _unsettled);
            lane.Pending.Enqueue((row, message));
        }

        _inFlight.Add(row.Id);
        return true;
    }

    /// <summary>
    /// Publishes a lane's rows in order until it is empty. After a failure the rest of the lane is
    /// skipped, not published, so the person's order holds; the lane stays failed, taking no rows,
    /// until the loop has recorded the failure, and the next read starts again from the failed row.
    /// </summary>
    private async Task RunLaneAsync(Lane lane, CancellationToken cancellationToken)
    {
        while (TryTakeNext(lane, out var next))
        {
            var outcome = lane.Failed || cancellationToken.IsCancellationRequested
                ? new Outcome(next.Row, null)
                : await PublishInTurnAsync(lane, next.Row, next.Message, cancellationToken);
            _outcomes.Enqueue(outcome);
            var unsettled = Interlocked.Decrement(ref _unsettled);
            if (unsettled == 0 || outcome.Failure is not null || Interlocked.Increment(ref _unflushed) >= Math.Max(1, options.Value.BatchSize / 2))
            {
                signal.Notify();
            }
        }

        if (lane.Failed)
        {
            // The loop's next settling drops the drained lane; wake it.
            signal.Notify();
        }
    }

    /// <summary>The lane's next row; when there is none the lane has drained, and a lane that did not fail is gone.</summary>
    private bool TryTakeNext(Lane lane, out (OutboxMessage Row, object? Message) next)
    {
        lock (_lanesLock)
        {
            if (lane.Pending.TryDequeue(out next))
            {
                return true;
            }

            lane.Drained = true;
            if (!lane.Failed)
            {
                _lanes.Remove(lane.Key);
            }

            return false;
        }
    }

    private async Task<Outcome> PublishInTurnAsync(Lane lane, OutboxMessage row, object? message, CancellationToken cancellationToken)
    {
        try
        {
            await _window.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new Outcome(row, null);
        }

        try
        {
            await PublishAsync(row, message ?? Read(row), cancellationToken);
            row.DispatchedAt = time.GetUtcNow();
            Interlocked.Increment(ref _published);
            return new Outcome(row, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new Outcome(row, null);
        }
        catch (Exception ex)
        {
            row.Attempts++;
            row.LastError = Truncate(ex.Message, 2000);
            lane.Failed = true;
            return new Outcome(row, ex);
        }
        finally
        {
            _window.Release();
        }
    }

    /// <summary>
    /// Writes what the lanes settled: published rows marked, failures counted on their row. Then
    /// the rows leave the in-flight set, and failed lanes that had drained are dropped, so their
    /// rows are read again in order. Answers how many were published and the first failure.
    /// </summary>
    private async Task<(int Published, Exception? Failure)> SettleAsync()
    {
        // Taken before the outcomes: a lane drains after queueing its last outcome, so all of a drained lane's are below.
        List<Lane> drainedFailures;
        lock (_lanesLock)
        {
            drainedFailures = [.. _lanes.Values.Where(lane => lane.Failed && lane.Drained)];
        }

        var settled = new List<Outcome>();
        while (_outcomes.TryDequeue(out var outcome))
        {
            settled.Add(outcome);
        }

        Interlocked.Exchange(ref _unflushed, 0);
        var changed = settled.Where(o => o.Failure is not null || o.Row.DispatchedAt is not null).ToList();
        if (changed.Count > 0)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                foreach (var (row, failure) in changed)
                {
                    var entry = db.OutboxMessages.Attach(row);
                    if (failure is null)
                    {
                        entry.Property(m => m.DispatchedAt).IsModified = true;
                    }
                    else
                    {
                        entry.Property(m => m.Attempts).IsModified = true;
                        entry.Property(m => m.LastError).IsModified = true;
                    }
                }

                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch
            {
                // Kept in flight, its lane still failed, and settled again next turn: nothing goes twice or out of order meanwhile.
                foreach (var outcome in settled)
                {
                    _outcomes.Enqueue(outcome);
                }

                throw;
            }
        }

        lock (_lanesLock)
        {
            foreach (var outcome in settled)
            {
                _inFlight.Remove(outcome.Row.Id);
            }

            foreach (var lane in drainedFailures)
            {
                _lanes.Remove(lane.Key);
            }
        }

        return (changed.Count(o => o.Failure is null), settled.Select(o => o.Failure).FirstOrDefault(f => f is not null));
    }

    /// <summary>On shutdown the lanes skip what they have not begun; what was published is marked, so a restart publishes less again.</summary>
    private async Task SettleOnStopAsync()
    {
        try
        {
            await Task.WhenAll(RunningLanes()).WaitAsync(TimeSpan.FromSeconds(5));
            if (await _turn.WaitAsync(TimeSpan.FromSeconds(5)))
            {
                await SettleInTurnAsync();
            }
        }
        catch (Exception ex)
        {
            // What is not marked is published again after the next start, and its receiver's inbox drops the repeat.
            LogSettleOnStopFailed(logger, ex, typeof(TContext).Name);
        }
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

        async Task SendAsync(string destination)
        {
            var endpoint = await bus.GetSendEndpoint(addresses.For(destination));
            await endpoint.Send(message, type, Pipe.Execute<SendContext>(SetIds), timeout.Token);
        }

        try
        {
            var publish = row.Destination is null
                ? bus.Publish(message, type, Pipe.Execute<PublishContext>(SetIds), timeout.Token)
                : SendAsync(row.Destination);
            // The wait, not MassTransit, ends a publish that overruns: after a failure MassTransit awaits
            // its own clean-up without the token, and GetSendEndpoint takes none, so a hung call would
            // hold its lane and a window place for good, with nothing logged.
            await publish.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm the publish within {options.Value.PublishTimeout}.");
        }
    }

    /// <summary>
    /// Deletes dispatched outbox rows older than <see cref="OutboxOptions.Retention"/> and inbox rows
    /// older than <see cref="OutboxOptions.InboxRetention"/>, oldest first, a chunk at a time: each
    /// chunk's age bound is found by a read through the age index that takes no write turn, then
    /// its rows are deleted as one index range in a short turn, so writers never wait behind a long
    /// delete. Answers how many rows went.
    /// </summary>
    public async Task<int> CleanupAsync(CancellationToken cancellationToken) => (await CleanupTimedAsync(cancellationToken)).Deleted;

    /// <summary>The cleanup, with the longest write turn it took: the most a writer waited behind it.</summary>
    private async Task<(int Deleted, TimeSpan LongestTurn)> CleanupTimedAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var outboxCutoff = now - settings.Retention;
        var inboxCutoff = now - settings.InboxRetention;
        var outbox = await DeleteOldestInChunksAsync(
            db => db.OutboxMessages.Where(m => m.DispatchedAt != null && m.DispatchedAt < outboxCutoff)
                .OrderBy(m => m.DispatchedAt).Select(m => m.DispatchedAt!.Value),
            (db, bound) => db.OutboxMessages.Where(m => m.DispatchedAt != null && m.DispatchedAt <= bound).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        var inbox = await DeleteOldestInChunksAsync(
            db => db.InboxMessages.Where(m => m.ProcessedAt < inboxCutoff).OrderBy(m => m.ProcessedAt).Select(m => m.ProcessedAt),
            (db, bound) => db.InboxMessages.Where(m => m.ProcessedAt <= bound).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        var deleted = outbox.Deleted + inbox.Deleted;
        var longest = outbox.LongestTurn > inbox.LongestTurn ? outbox.LongestTurn : inbox.LongestTurn;
        await using var scope = scopes.CreateAsyncScope();
        foreach (var sweep in scope.ServiceProvider.GetServices<Persistence.IRetentionSweep<TContext>>())
        {
            var swept = await DeleteOldestInChunksAsync(db => sweep.Expired(db, now), (db, bound) => sweep.DeleteUpToAsync(db, bound, cancellationToken), cancellationToken);
            deleted += swept.Deleted;
            longest = swept.LongestTurn > longest ? swept.LongestTurn : longest;
        }

        return (deleted, longest);
    }

    /// <summary>
    /// Reads the ages of the oldest chunk outside the write turn, deletes every row up to the
    /// chunk's last age in a short one, and goes on while chunks come back full. Rows that share
    /// the bound's age all go in one turn, so each turn makes progress.
    /// </summary>
    private async Task<(int Deleted, TimeSpan LongestTurn)> DeleteOldestInChunksAsync(
        Func<TContext, IQueryable<DateTimeOffset>> oldestAges, Func<TContext, DateTimeOffset, Task<int>> deleteUpTo, CancellationToken cancellationToken)
    {
        var chunk = options.Value.CleanupChunk;
        var deleted = 0;
        var longestTurn = TimeSpan.Zero;
        int found;
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var ages = await oldestAges(db).Take(chunk).ToListAsync(cancellationToken);
            found = ages.Count;
            if (found > 0)
            {
                using var turn = await SqliteWriteGate.EnterAsync(db.Database, cancellationToken);
                var started = Stopwatch.GetTimestamp();
                deleted += await deleteUpTo(db, ages[^1]);
                var took = Stopwatch.GetElapsedTime(started);
                longestTurn = took > longestTurn ? took : longestTurn;
            }
        }
        while (found == chunk);

        return (deleted, longestTurn);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox and inbox cleanup of {Context} deleted {Rows} rows in {Milliseconds:0} ms; its longest write turn {TurnMilliseconds:0} ms")]
    private static partial void LogCleanedUp(ILogger logger, string context, int rows, double milliseconds, double turnMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox and inbox cleanup of {Context} failed; it runs again after the next interval")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch for {Context} failed; will retry")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox rows of {Context} published before shutdown could not be marked; they go again after the next start")]
    private static partial void LogSettleOnStopFailed(ILogger logger, Exception exception, string context);

    /// <summary>One person's rows in order, and the task publishing them.</summary>
    private sealed class Lane(string key)
    {
        public string Key { get; } = key;

        public Queue<(OutboxMessage Row, object? Message)> Pending { get; } = new();

        public Task Runner { get; set; } = Task.CompletedTask;

        public bool Failed { get; set; }

        public bool Drained { get; set; }
    }

    /// <summary>A row a lane is done with: published (its DispatchedAt set), failed, or skipped (neither).</summary>
    private sealed record Outcome(OutboxMessage Row, Exception? Failure);
}
