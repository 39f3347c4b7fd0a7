using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Messaging.Leases;

/// <summary>
/// The partitions of one duty that this instance may work on now. On PostgreSQL, where several
/// instances share a module database, each instance leases a fair share of
/// <see cref="DutyPartitions.Count"/> partitions, by the database's clock, so instances with
/// skewed clocks still agree; a dead instance's partitions pass on when their leases run out, and
/// a new instance gets its share as the others let theirs run out. On SQLite one process owns the
/// database file, so it holds every partition and the database is never asked.
/// </summary>
public sealed partial class PartitionLeases<TContext>(IServiceScopeFactory scopes, string duty, LeaseOptions options, ILogger logger)
    where TContext : MessagingDbContext
{
    private static readonly int[] Every = [.. Enumerable.Range(0, DutyPartitions.Count)];

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private bool? _shared;
    private bool _seeded;
    private int[] _held = [];
    private long _validUntil;
    private long _renewDue;

    /// <summary>Names this instance in the lease rows: readable, and unique even for two hosts in one process.</summary>
    public string Owner { get; } = $"{Truncate(Environment.MachineName, 64)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// The partitions held with time to spare, renewing first when a renewal is due. Empty while
    /// this instance holds none; all of them on SQLite.
    /// </summary>
    public async ValueTask<int[]> HeldAsync(CancellationToken cancellationToken)
    {
        if (_shared == false)
        {
            return Every;
        }

        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _renewDue))
        {
            await RenewAsync(cancellationToken);
        }

        return Current;
    }

    /// <summary>The partitions held with time to spare, without renewing.</summary>
    public int[] Current => _shared == false ? Every : Stopwatch.GetTimestamp() < Volatile.Read(ref _validUntil) ? Volatile.Read(ref _held) : [];

    /// <summary>Renews every third of the lease, so the work never waits for a renewal in line.</summary>
    public async Task KeepRenewingAsync(CancellationToken stoppingToken)
    {
        var every = options.Duration / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await HeldAsync(stoppingToken);
                if (_shared == false)
                {
                    return;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _renewDue));
                await Task.Delay(wait > TimeSpan.Zero ? wait : every, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRenewalFailed(logger, ex, duty, typeof(TContext).Name);
                await Task.Delay(every, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Gives every partition back at a clean stop, once the work in flight has settled, so other
    /// instances take them at once rather than after the lease. A failure is logged: the leases
    /// run out by themselves.
    /// </summary>
    public async Task ReleaseAtStopAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ReleaseAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, duty, typeof(TContext).Name);
        }
    }

    /// <summary>Gives every partition back.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_shared != true)
        {
            return;
        }

        Volatile.Write(ref _validUntil, 0);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Database.ExecuteSqlAsync(
            $"""UPDATE duty_leases SET "Owner" = '', "ExpiresAt" = to_timestamp(0) WHERE "Duty" = {duty} AND "Owner" = {Owner}""",
            cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""DELETE FROM duty_members WHERE "Duty" = {duty} AND "Owner" = {Owner}""",
            cancellationToken);
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (Stopwatch.GetTimestamp() < Volatile.Read(ref _renewDue))
            {
                // Renewed by another caller while this one waited.
                return;
            }

            // Taken before the statements: the database's expiry is at least a lease after this.
            var started = Stopwatch.GetTimestamp();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            _shared ??= !db.Database.IsSqlite();
            if (_shared == false)
            {
                return;
            }

            var held = await RenewAndClaimAsync(db, cancellationToken);
            Volatile.Write(ref _held, held);
            Volatile.Write(ref _validUntil, started + Ticks(options.Duration * 2 / 3));
            Volatile.Write(ref _renewDue, started + Ticks(options.Duration / 3));
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>
    /// One round: counts the live members, renews up to a fair share of what this instance holds,
    /// lets the rest run out for a newer member to take, and claims expired partitions up to the
    /// share. Each statement commits alone: a claim never waits on another instance's round.
    /// </summary>
    private async Task<int[]> RenewAndClaimAsync(TContext db, CancellationToken cancellationToken)
    {
        var seconds = options.Duration.TotalSeconds;
        if (!_seeded)
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO duty_leases ("Duty", "Partition", "Owner", "ExpiresAt")
                SELECT {duty}, p, '', to_timestamp(0) FROM generate_series(0, {DutyPartitions.Count - 1}) AS p
                ON CONFLICT DO NOTHING
                """,
                cancellationToken);
            _seeded = true;
        }

        var others = (await db.Database.SqlQuery<int>(
            $"""
            WITH me AS (
                INSERT INTO duty_members ("Duty", "Owner", "ExpiresAt") VALUES ({duty}, {Owner}, clock_timestamp() + make_interval(secs => {seconds}))
                ON CONFLICT ("Duty", "Owner") DO UPDATE SET "ExpiresAt" = excluded."ExpiresAt"),
            gone AS (
                DELETE FROM duty_members WHERE "Duty" = {duty} AND "ExpiresAt" < clock_timestamp() - make_interval(secs => {seconds * 10}))
            SELECT count(*)::int AS "Value" FROM duty_members WHERE "Duty" = {duty} AND "Owner" <> {Owner} AND "ExpiresAt" > clock_timestamp()
            """).ToListAsync(cancellationToken))[0];
        var share = (DutyPartitions.Count + others) / (others + 1);

        int[] keep = [.. Volatile.Read(ref _held).Order().Take(share)];
        var renewed = await db.Database.SqlQuery<int>(
            $"""
            UPDATE duty_leases SET "ExpiresAt" = clock_timestamp() + make_interval(secs => {seconds})
            WHERE "Duty" = {duty} AND "Owner" = {Owner} AND "Partition" = ANY({keep})
            RETURNING "Partition" AS "Value"
            """).ToListAsync(cancellationToken);
        var claimed = renewed.Count >= share ? [] : await db.Database.SqlQuery<int>(
            $"""
            UPDATE duty_leases SET "Owner" = {Owner}, "ExpiresAt" = clock_timestamp() + make_interval(secs => {seconds})
            WHERE "Duty" = {duty} AND "ExpiresAt" < clock_timestamp() AND "Partition" IN (
                SELECT "Partition" FROM duty_leases WHERE "Duty" = {duty} AND "ExpiresAt" < clock_timestamp()
                ORDER BY "Partition" LIMIT {share - renewed.Count} FOR UPDATE SKIP LOCKED)
            RETURNING "Partition" AS "Value"
            """).ToListAsync(cancellationToken);
        int[] held = [.. renewed.Concat(claimed).Order()];
        if (claimed.Count > 0 || renewed.Count < keep.Length || keep.Length < Volatile.Read(ref _held).Length)
        {
            LogShareChanged(logger, duty, typeof(TContext).Name, held.Length, others + 1, claimed.Count);
        }

        return held;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "{Duty} of {Context}: this instance holds {Held} partitions, with {Members} instances live ({Claimed} newly claimed)")]
    private static partial void LogShareChanged(ILogger logger, string duty, string context, int held, int members, int claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Duty} of {Context}: the partitions could not be given back at stop; they pass on when their leases run out")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string duty, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Duty} of {Context}: renewing the partition leases failed; the work stops on them when they run short, and the renewal is tried again")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string duty, string context);
}
