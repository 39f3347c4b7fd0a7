using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Messaging.Persistence;

/// <summary>
/// Group commit for the consumers of one SQLite file. Those that wait for the file's write turn at
/// the same moment run one after another in one transaction, each in a savepoint of its own, and
/// commit together: one fsync for the group instead of one each. A member that fails is rolled
/// back to its savepoint and fails alone; a failed commit fails every member, and each is retried
/// as before. Alone on the file, a consumer is a group of one: nothing waits to form a group.
/// </summary>
/// <remarks>
/// Each member keeps its own DbContext, enlisted in the group's connection and transaction for its
/// turn and given back its own connection after it, and its own execution context, so its trace
/// parent and scope stay its own.
/// </remarks>
public static class SqliteGroupCommit
{
    /// <summary>At most this many members per commit, so one group does not hold the write turn for long.</summary>
    public const int MaxMembers = 64;

    public const string MeterName = Telemetry.HubTelemetryNames.MessagingSource;

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<Member>> Queues = new(StringComparer.Ordinal);

    private static readonly Histogram<int> GroupSizes = new Meter(MeterName).CreateHistogram<int>(
        "hub.sqlite.group_commit.members", unit: "{consumer}", description: "Consumers committed together in one SQLite transaction, by database file.");

    /// <summary>Runs <paramref name="work"/> on <paramref name="db"/> in a transaction, and returns once it is committed.</summary>
    /// <exception cref="Exception">What <paramref name="work"/> threw, or why the group's transaction did not commit.</exception>
    public static async Task RunAsync(MessagingDbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var file = SqliteWriteGate.FileOf(db.Database);
        var queue = Queues.GetOrAdd(file, _ => new ConcurrentQueue<Member>());
        var member = new Member(db, work, ExecutionContext.Capture(), cancellationToken);
        queue.Enqueue(member);
        try
        {
            using var turn = await SqliteWriteGate.EnterAsync(db.Database, cancellationToken);
            if (member.IsQueued)
            {
                await LeadAsync(queue, db.Database.GetConnectionString()!, Path.GetFileName(file));
            }
        }
        catch (OperationCanceledException)
        {
            if (member.Abandon())
            {
                throw;
            }
        }

        // Led by this call or an earlier one; a member taken into a group is always finished by its leader.
        await member.Finished;
    }

    private static async Task LeadAsync(ConcurrentQueue<Member> queue, string connectionString, string databaseFile)
    {
        var group = new List<Member>();
        while (group.Count < MaxMembers && queue.TryDequeue(out var next))
        {
            if (next.Take())
            {
                group.Add(next);
            }
        }

        GroupSizes.Record(group.Count, new KeyValuePair<string, object?>("database", databaseFile));
        var succeeded = new List<Member>(group.Count);
        var failed = new List<(Member Member, Exception Error)>();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            for (var i = 0; i < group.Count; i++)
            {
                if (await RunMemberAsync(group[i], connection, transaction, $"member{i}") is { } error)
                {
                    failed.Add((group[i], error));
                }
                else
                {
                    succeeded.Add(group[i]);
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The group's transaction did not commit: nothing of any member is stored. One that had
            // failed already keeps its own reason.
            foreach (var (member, error) in failed)
            {
                member.Fail(error);
            }

            foreach (var member in group)
            {
                member.Db.RolledBackOutside();
                member.Fail(ex);
            }

            return;
        }

        // A member that failed hears of it only now: its failure may be a conflict with another
        // member's row (the same key), which whoever handles the failure must be able to read.
        foreach (var (member, error) in failed)
        {
            member.Fail(error);
        }

        foreach (var member in succeeded)
        {
            member.Db.CommittedOutside();
            member.Succeed();
        }
    }

    /// <summary>Runs one member in its savepoint. Its exception when it failed (and was rolled back); throws when the group cannot go on.</summary>
    private static async Task<Exception?> RunMemberAsync(Member member, SqliteConnection connection, SqliteTransaction transaction, string savepoint)
    {
        var database = member.Db.Database;
        await transaction.SaveAsync(savepoint, CancellationToken.None);
        try
        {
            database.SetDbConnection(connection, contextOwnsConnection: false);
            await database.UseTransactionAsync(transaction, CancellationToken.None);
            await member.RunAsync();
            await transaction.ReleaseAsync(savepoint, CancellationToken.None);
            return null;
        }
        catch (Exception ex)
        {
            // Throws when the transaction itself is gone; then the whole group fails.
            await transaction.RollbackAsync(savepoint, CancellationToken.None);
            member.Db.RolledBackOutside();
            return ex;
        }
        finally
        {
            // The member's context gets its own connection back: the group's is disposed after the
            // commit, and whoever handles a failed member may read through its context again (a
            // pooled context, the next scope too). Closing first balances the open EF counted when
            // the transaction was handed to it; the group's connection stays open, EF did not open it.
            await database.UseTransactionAsync(null, CancellationToken.None);
            await database.CloseConnectionAsync();
            database.SetDbConnection(null, contextOwnsConnection: true);
            database.SetConnectionString(member.ConnectionString);
        }
    }

    private sealed class Member(MessagingDbContext db, Func<CancellationToken, Task> work, ExecutionContext? executionContext, CancellationToken cancellationToken)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Abandoned = 2;

        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public MessagingDbContext Db => db;

        /// <summary>The context's own connection string, restored once it leaves the group's connection.</summary>
        public string ConnectionString { get; } = db.Database.GetConnectionString()!;

        public Task Finished => _finished.Task;

        public bool IsQueued => Volatile.Read(ref _state) == Queued;

        /// <summary>A leader takes the member into its group; false when it was abandoned.</summary>
        public bool Take() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>Its caller gave up before any leader took it; false when a leader already has it.</summary>
        public bool Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

        public Task RunAsync()
        {
            if (executionContext is null)
            {
                return work(cancellationToken);
            }

            Task? running = null;
            ExecutionContext.Run(executionContext, _ => running = work(cancellationToken), null);
            return running!;
        }

        public void Succeed() => _finished.TrySetResult();

        public void Fail(Exception exception) => _finished.TrySetException(exception);
    }
}
