using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Tests;

/// <summary>The outbox, inbox and dead-letter guarantees, against the real RabbitMQ broker and real SQLite files.</summary>
public abstract class OutboxInboxTests(DatabaseProvider provider) : IDisposable
{
    private readonly DatabaseOptions _database = TestDatabases.Create(provider);
    private readonly TemporaryDirectory _folder = new("messaging-tests");

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _folder.Dispose();
    }

    private static async Task SendAsync(BusTestHost host, object command, Guid? messageId = null)
    {
        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(
            host.Services.GetRequiredService<Transport.CommandAddresses>().For("record-note"));
        await endpoint.Send(command, Pipe.Execute<SendContext>(context =>
        {
            if (messageId is { } id)
            {
                context.MessageId = id;
            }
        }));
    }

    /// <summary>
    /// Repeats still on the command queue are gone once a later command is done; then the event
    /// queue is drained behind a marker, so counts taken afterwards are final.
    /// </summary>
    private static async Task DrainCommandsAndEventsAsync(BusTestHost host)
    {
        var laterNote = Guid.NewGuid();
        await SendAsync(host, new RecordNote(laterNote, "later", false));
        await Eventually.WaitForAsync(() => host.ReceiptCountAsync(nameof(NoteRecorded), laterNote), n => n == 1, "the later event");
        await host.DrainOrderedQueueAsync();
    }

    [Fact]
    public async Task Handler_that_fails_after_writing_state_publishes_nothing_and_its_state_is_rolled_back()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, _database, await TestBroker.CreateVirtualHostAsync("rollback"));
        var noteId = Guid.NewGuid();

        await SendAsync(host, new RecordNote(noteId, "will fail", FailAfterWrite: true));

        // Every retry failed, so the message ends as a dead letter.
        await Eventually.WaitForAsync(
            () => host.QueryDeadLettersAsync(db => db.DeadLetters.CountAsync()), n => n == 1, "the dead letter");
        await host.DrainOrderedQueueAsync();
        Assert.Equal(0, await host.QueryAsync(db => db.Notes.CountAsync(n => n.Id == noteId)));
        Assert.Equal(0, await host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.MessageType.Contains(nameof(NoteRecorded)))));
        Assert.Equal(0, await host.ReceiptCountAsync(nameof(NoteRecorded), noteId));
    }

    [Fact]
    public async Task Message_committed_but_not_published_before_a_crash_is_published_after_restart()
    {
        var noteId = Guid.NewGuid();
        // The state a process leaves when it is killed between commit and publish: the change and
        // its outbox row are committed, and no dispatcher ever ran.
        await using (var crashed = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database))
        {
            crashed.Notes.Add(new Note { Id = noteId, Text = "committed before the crash" });
            crashed.Publish(new NoteRecorded(noteId, "committed before the crash"));
            await crashed.SaveChangesAsync();
        }

        await using var restarted = await BusTestHost.StartAsync(_folder.Path, _database, await TestBroker.CreateVirtualHostAsync("restart"));

        await Eventually.WaitForAsync(() => restarted.ReceiptCountAsync(nameof(NoteRecorded), noteId), n => n == 1, "the published event");
        await restarted.DrainOrderedQueueAsync();
        await Eventually.WaitForAsync(
            () => restarted.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the outbox to drain");
        Assert.Equal(1, await restarted.ReceiptCountAsync(nameof(NoteRecorded), noteId));
    }

    [Fact]
    public async Task Message_published_again_after_a_crash_before_it_was_marked_is_processed_once()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("republish");
        var noteId = Guid.NewGuid();
        await using (var first = await BusTestHost.StartAsync(_folder.Path, _database, rabbitMq))
        {
            await SendAsync(first, new RecordNote(noteId, "published once", FailAfterWrite: false));
            await Eventually.WaitForAsync(() => first.ReceiptCountAsync(nameof(NoteRecorded), noteId), n => n == 1, "the first delivery");
        }

        // Crash after publish, before the row was marked: the next start publishes it again, same message id.
        await using (var db = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database))
        {
            var rows = await db.OutboxMessages.Where(m => m.MessageType.Contains(nameof(NoteRecorded))).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.DispatchedAt, (DateTimeOffset?)null));
            Assert.Equal(1, rows);
        }

        await using var restarted = await BusTestHost.StartAsync(_folder.Path, _database, rabbitMq);
        await Eventually.WaitForAsync(
            () => restarted.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the re-publish");
        await restarted.DrainOrderedQueueAsync();
        Assert.Equal(1, await restarted.ReceiptCountAsync(nameof(NoteRecorded), noteId));
    }

    [Fact]
    public async Task Redelivered_message_is_not_processed_twice()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, _database, await TestBroker.CreateVirtualHostAsync("redelivery"));
        var noteId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await SendAsync(host, new RecordNote(noteId, "sent three times", false), messageId);
        await SendAsync(host, new RecordNote(noteId, "sent three times", false), messageId);
        await SendAsync(host, new RecordNote(noteId, "sent three times", false), messageId);

        await Eventually.WaitForAsync(() => host.ReceiptCountAsync(nameof(NoteRecorded), noteId), n => n >= 1, "the event");
        await DrainCommandsAndEventsAsync(host);

        Assert.Equal(1, await host.QueryAsync(db => db.Notes.CountAsync(n => n.Id == noteId)));
        Assert.Equal(1, await host.ReceiptCountAsync(nameof(NoteRecorded), noteId));
        Assert.Equal(0, await host.QueryDeadLettersAsync(db => db.DeadLetters.CountAsync()));
    }

    [Fact]
    public async Task Poison_message_lands_in_the_dead_letters_and_is_processed_once_when_replayed_after_the_fix()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, _database, await TestBroker.CreateVirtualHostAsync("poison"));
        host.Failure.Failing = true;
        var noteId = Guid.NewGuid();

        await SendAsync(host, new RecordNote(noteId, "poison until fixed", false));

        var letter = await Eventually.WaitForAsync(
            () => host.QueryDeadLettersAsync(db => db.DeadLetters.SingleOrDefaultAsync()), d => d is not null, "the dead letter");
        Assert.Equal("record-note", letter!.Queue);
        Assert.Contains(nameof(RecordNote), letter.MessageType, StringComparison.Ordinal);
        Assert.Equal(typeof(InvalidOperationException).FullName, letter.ExceptionType);
        Assert.Equal(0, await host.QueryAsync(db => db.Notes.CountAsync()));
        // The body may hold a person's data: it is kept sealed, never in clear.
        Assert.DoesNotContain("poison until fixed", letter.Envelope, StringComparison.Ordinal);
        Assert.Contains("poison until fixed", host.Services.GetRequiredService<AtRestCipher>().OpenText(letter.Envelope, DeadLetter.BoundTo(letter.Id)), StringComparison.Ordinal);

        host.Failure.Failing = false;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var replayer = scope.ServiceProvider.GetRequiredService<DeadLetterReplayer>();
            Assert.Equal(ReplayOutcome.Replayed, await replayer.ReplayAsync(letter.Id, CancellationToken.None));
        }

        await Eventually.WaitForAsync(() => host.ReceiptCountAsync(nameof(NoteRecorded), noteId), n => n == 1, "the replayed message");

        // A second replay of the same letter carries the same message id: the inbox ignores it.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DeadLetterReplayer>().ReplayAsync(letter.Id, CancellationToken.None);
        }

        await DrainCommandsAndEventsAsync(host);
        Assert.Equal(1, await host.QueryAsync(db => db.Notes.CountAsync(n => n.Id == noteId)));
        Assert.Equal(1, await host.ReceiptCountAsync(nameof(NoteRecorded), noteId));
        var replayed = await host.QueryDeadLettersAsync(db => db.DeadLetters.SingleAsync());
        Assert.Equal(2, replayed.ReplayCount);
        Assert.NotNull(replayed.ReplayedAt);
    }
}

public sealed class OutboxInboxTestsOnSqlite() : OutboxInboxTests(DatabaseProvider.Sqlite);

public sealed class OutboxInboxTestsOnPostgres() : OutboxInboxTests(DatabaseProvider.Postgres);
