using System.Data;
using System.Diagnostics.Metrics;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Tests;

/// <summary>Consumers waiting for one SQLite file's write turn share a commit; each succeeds or fails on its own.</summary>
public sealed class SqliteGroupCommitTests : IAsyncDisposable
{
    private readonly TemporaryDirectory _folder = new("group-commit");
    private readonly string _name = $"group-{Guid.NewGuid():N}";
    private readonly ServiceProvider _services;
    private readonly List<IDisposable> _disposables = [];

    public SqliteGroupCommitTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddModuleDatabase<TestDbContext>(_name, new DatabaseOptions(), new HubPaths(_folder.Path));
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        _disposables.ForEach(d => d.Dispose());
        await _services.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Members_waiting_together_commit_together_and_a_failing_one_is_rolled_back_alone()
    {
        await MigrateAsync();
        var sizes = ListenToGroupSizes();
        var scopes = Enumerable.Range(0, 5).Select(_ => _services.CreateAsyncScope()).ToList();
        var contexts = scopes.Select(s => s.ServiceProvider.GetRequiredService<TestDbContext>()).ToList();
        var notes = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        Task[] members;
        // While the write turn is held, every member queues; the first to get the turn leads them all.
        using (await SqliteWriteGate.EnterAsync(contexts[0].Database, CancellationToken.None))
        {
            members = [.. contexts.Select((db, i) => SqliteGroupCommit.RunAsync(db, async token =>
            {
                db.Notes.Add(new Note { Id = notes[i], Text = $"note {i}" });
                db.Publish(new NoteRecorded(notes[i], $"note {i}"));
                await db.SaveChangesAsync(token);
                if (i == 2)
                {
                    throw new InvalidOperationException("member 2 fails after writing");
                }
            }, CancellationToken.None))];
        }

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => members[2]);
        Assert.Equal("member 2 fails after writing", failure.Message);
        await Task.WhenAll(members.Where((_, i) => i != 2));

        await using var check = _services.CreateAsyncScope();
        var stored = check.ServiceProvider.GetRequiredService<TestDbContext>();
        Assert.Equal(notes.Where((_, i) => i != 2).Order(), (await stored.Notes.Select(n => n.Id).ToListAsync()).Order());
        Assert.Equal(4, await stored.OutboxMessages.CountAsync());
        Assert.Equal([5], sizes);
        foreach (var scope in scopes)
        {
            await scope.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_member_that_loses_on_a_key_to_another_member_fails_alone_and_its_caller_reads_the_winners_row_through_its_own_context()
    {
        await MigrateAsync();
        await using var first = _services.CreateAsyncScope();
        await using var second = _services.CreateAsyncScope();
        var id = Guid.NewGuid();

        Task winner, loser;
        using (await SqliteWriteGate.EnterAsync(first.ServiceProvider.GetRequiredService<TestDbContext>().Database, CancellationToken.None))
        {
            winner = Insert(first, id, "first");
            loser = Insert(second, id, "second");
        }

        // The loser's caller reads the winner's row at once, through the context that failed (the
        // certificate intake answers with its location): the group gave it back its own connection.
        await Assert.ThrowsAsync<DbUpdateException>(() => loser);
        var losersContext = second.ServiceProvider.GetRequiredService<TestDbContext>();
        losersContext.ChangeTracker.Clear();
        var stored = await losersContext.Notes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id);
        Assert.Equal("first", stored?.Text);
        Assert.Equal(ConnectionState.Closed, losersContext.Database.GetDbConnection().State);
        await winner;

        // And the same context can join a later group (a retry, or the next lease of a pooled context).
        var retried = Guid.NewGuid();
        await Insert(second, retried, "retried");
        Assert.Equal("retried", (await losersContext.Notes.AsNoTracking().SingleAsync(n => n.Id == retried)).Text);
        Assert.Equal(ConnectionState.Closed, losersContext.Database.GetDbConnection().State);

        static Task Insert(AsyncServiceScope scope, Guid id, string text)
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            return SqliteGroupCommit.RunAsync(db, token =>
            {
                db.Notes.Add(new Note { Id = id, Text = text });
                return db.SaveChangesAsync(token);
            }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_member_whose_caller_gave_up_before_its_turn_is_never_run_and_the_others_commit()
    {
        await MigrateAsync();
        await using var waiting = _services.CreateAsyncScope();
        await using var giving = _services.CreateAsyncScope();
        var waitingDb = waiting.ServiceProvider.GetRequiredService<TestDbContext>();
        var givingDb = giving.ServiceProvider.GetRequiredService<TestDbContext>();
        using var cancel = new CancellationTokenSource();
        var ran = false;

        Task stays, leaves;
        using (await SqliteWriteGate.EnterAsync(waitingDb.Database, CancellationToken.None))
        {
            leaves = SqliteGroupCommit.RunAsync(givingDb, _ =>
            {
                ran = true;
                return Task.CompletedTask;
            }, cancel.Token);
            stays = SqliteGroupCommit.RunAsync(waitingDb, async token =>
            {
                waitingDb.Notes.Add(new Note { Id = Guid.NewGuid(), Text = "stays" });
                await waitingDb.SaveChangesAsync(token);
            }, CancellationToken.None);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaves);
        }

        await stays;
        Assert.False(ran);
        await using var check = _services.CreateAsyncScope();
        Assert.Equal(1, await check.ServiceProvider.GetRequiredService<TestDbContext>().Notes.CountAsync());
    }

    private async Task MigrateAsync()
    {
        foreach (var database in _services.GetServices<IModuleDatabase>())
        {
            await database.MigrateAsync(_services, CancellationToken.None);
        }
    }

    /// <summary>The group sizes recorded for this test's own database file.</summary>
    private List<int> ListenToGroupSizes()
    {
        var sizes = new List<int>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteGroupCommit.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "database" && (string?)tag.Value == $"{_name}.db")
                {
                    lock (sizes)
                    {
                        sizes.Add(value);
                    }
                }
            }
        });
        listener.Start();
        _disposables.Add(listener);
        return sizes;
    }
}
