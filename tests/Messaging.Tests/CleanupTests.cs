using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationHub.Messaging.Tests;

/// <summary>Old dispatched outbox rows and old inbox rows are deleted a chunk at a time; pending and recent ones stay.</summary>
public abstract class CleanupTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    protected DatabaseOptions Database { get; } = TestDatabases.Create(provider);

    protected TemporaryDirectory Folder { get; } = new("cleanup-tests");

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        Folder.Dispose();
    }

    [Fact]
    public async Task Cleanup_deletes_only_what_is_past_its_retention_in_chunks_and_never_a_pending_row()
    {
        var time = new ManualTimeProvider(Now);
        await using var host = await BusTestHost.StartAsync(Folder.Path, Database, rabbitMq: null, time);
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxOptions>>().Value;
        options.CleanupChunk = 7;
        var oldDispatched = Now - options.Retention - TimeSpan.FromHours(1);
        var oldProcessed = Now - options.InboxRetention - TimeSpan.FromHours(1);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            // Twenty ages, two rows of each inbox age and a run of equal outbox ages: chunks of 7 end
            // between and inside rows of one age.
            for (var i = 0; i < 20; i++)
            {
                db.OutboxMessages.Add(Row(dispatchedAt: oldDispatched - TimeSpan.FromSeconds(Math.Min(i, 12)), timerKey: null));
                db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "old", ProcessedAt = oldProcessed - TimeSpan.FromSeconds(i / 2) });
            }

            db.OutboxMessages.Add(Row(dispatchedAt: Now - TimeSpan.FromDays(1), timerKey: null));
            // A timer far in the future: never dispatched, so never cleaned up, however old.
            db.OutboxMessages.Add(Row(dispatchedAt: null, timerKey: "far-future"));
            db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "recent", ProcessedAt = Now - TimeSpan.FromDays(1) });
            await db.SaveChangesAsync();
        }

        var deleted = await host.Services.GetRequiredService<OutboxDispatcher<TestDbContext>>().CleanupAsync(CancellationToken.None);

        Assert.Equal(40, deleted);
        Assert.Equal(2, await host.QueryAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(1, await host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.TimerKey == "far-future")));
        Assert.Equal(["recent"], await host.QueryAsync(db => db.InboxMessages.Select(m => m.Consumer).ToListAsync()));
    }

    private static OutboxMessage Row(DateTimeOffset? dispatchedAt, string? timerKey) => new()
    {
        MessageId = Guid.NewGuid(),
        MessageType = MessageTypeNames.NameOf(typeof(Marker)),
        Body = "{}",
        CreatedAt = Now - TimeSpan.FromDays(60),
        DueAt = timerKey is null ? Now - TimeSpan.FromDays(60) : Now + TimeSpan.FromDays(365),
        DispatchedAt = dispatchedAt,
        TimerKey = timerKey,
    };
}

public sealed class CleanupTestsOnSqlite() : CleanupTests(DatabaseProvider.Sqlite);

public sealed class CleanupTestsOnPostgres() : CleanupTests(DatabaseProvider.Postgres)
{
    /// <summary>
    /// A cleanup that cannot go on (here its inbox table is locked by another session) holds up no
    /// dispatch: the outbox goes on publishing beside it. PostgreSQL, because a SQLite reader cannot
    /// be blocked from outside, and the cleanup's reads are what take its time.
    /// </summary>
    [Fact]
    public async Task Outbox_goes_on_publishing_while_a_cleanup_is_held_up()
    {
        await using var host = await BusTestHost.StartAsync(Folder.Path, Database, rabbitMq: null, cleanupInterval: TimeSpan.FromMilliseconds(50));
        await using var locker = new NpgsqlConnection(Database.ConnectionStrings["test"]);
        await locker.OpenAsync();
        await using var holdUp = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE inbox_messages IN ACCESS EXCLUSIVE MODE", locker, holdUp))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await Eventually.WaitForAsync(() => CleanupsWaitingAsync(), n => n > 0, "a cleanup waiting for the locked inbox table");
        var noteId = Guid.NewGuid();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Notes.Add(new Note { Id = noteId, Text = "written while a cleanup waits" });
            db.Publish(new NoteRecorded(noteId, "written while a cleanup waits"));
            await db.SaveChangesAsync();
        }

        await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the outbox row to be published and marked");
        Assert.True(await CleanupsWaitingAsync() > 0, "the cleanup is still held up");
        await holdUp.RollbackAsync();
    }

    /// <summary>Asked on a connection of its own: inside a transaction, PostgreSQL answers pg_stat_activity from the snapshot of its first read.</summary>
    private async Task<long> CleanupsWaitingAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionStrings["test"]);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%inbox_messages%'",
            connection);
        return (long)(await waiting.ExecuteScalarAsync())!;
    }
}
