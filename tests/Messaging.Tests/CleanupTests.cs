using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Tests;

/// <summary>Old dispatched outbox rows and old inbox rows are deleted a chunk at a time; pending and recent ones stay.</summary>
public abstract class CleanupTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly DatabaseOptions _database = TestDatabases.Create(provider);
    private readonly TemporaryDirectory _folder = new("cleanup-tests");

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _folder.Dispose();
    }

    [Fact]
    public async Task Cleanup_deletes_only_what_is_past_its_retention_in_chunks_and_never_a_pending_row()
    {
        var time = new ManualTimeProvider(Now);
        await using var host = await BusTestHost.StartAsync(_folder.Path, _database, rabbitMq: null, time);
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxOptions>>().Value;
        options.CleanupChunk = 7;
        var oldDispatched = Now - options.Retention - TimeSpan.FromHours(1);
        var oldProcessed = Now - options.InboxRetention - TimeSpan.FromHours(1);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            for (var i = 0; i < 20; i++)
            {
                db.OutboxMessages.Add(Row(dispatchedAt: oldDispatched, timerKey: null));
                db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "old", ProcessedAt = oldProcessed });
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

public sealed class CleanupTestsOnPostgres() : CleanupTests(DatabaseProvider.Postgres);
