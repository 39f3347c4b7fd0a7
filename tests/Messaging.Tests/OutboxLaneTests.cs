using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Tests;

/// <summary>The outbox publishes several people's rows at once, and each person's rows in the order they were committed.</summary>
public sealed class OutboxLaneTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new("outbox-lanes");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_message_travels_in_the_lane_of_the_person_it_is_about()
    {
        Assert.Equal("p1", OutboxLanes.KeyOf(new PersonNoted(new PersonReference("p1"), 1)));
        Assert.Equal("p2", OutboxLanes.KeyOf(new KeyedByPerson("p2")));
        Assert.Equal(string.Empty, OutboxLanes.KeyOf(new NoteRecorded(Guid.NewGuid(), "no person")));
    }

    [Fact]
    public async Task Each_persons_rows_arrive_in_commit_order_while_people_are_published_at_once()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, new DatabaseOptions(), rabbitMq: null);
        var people = Enumerable.Range(0, 5).Select(p => $"lane-person-{p}").ToList();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            for (var sequence = 0; sequence < 20; sequence++)
            {
                foreach (var person in people)
                {
                    db.Publish(new PersonNoted(new PersonReference(person), sequence));
                }
            }

            await db.SaveChangesAsync();
        }

        var receipts = await Eventually.WaitForAsync(() => host.PersonReceiptsAsync("lane-person-"), found => found.Count == 100, "a receipt for each of the 100 rows");
        BusTestHost.AssertEachPersonInOrder(receipts, people, 20);
    }

    [Fact]
    public async Task A_row_that_cannot_be_published_holds_back_only_its_own_lane()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, new DatabaseOptions(), rabbitMq: null);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            // Committed first, and unreadable: a type this process does not know.
            db.OutboxMessages.Add(new OutboxMessage
            {
                MessageId = Guid.NewGuid(),
                MessageType = "IntegrationHub.Gone.Message, IntegrationHub.Gone",
                Body = "{}",
                CreatedAt = DateTimeOffset.UtcNow,
                DueAt = DateTimeOffset.UtcNow,
            });
            db.Publish(new PersonNoted(new PersonReference("lane-after-bad-row"), 0));
            await db.SaveChangesAsync();
        }

        await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.Receipts.CountAsync(r => r.Kind == "lane-after-bad-row:0")),
            n => n == 1,
            "the person's row, published past the unreadable one");
        var bad = await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.MessageType.StartsWith("IntegrationHub.Gone"))),
            row => row.Attempts > 0,
            "the failed attempt recorded on the unreadable row");
        Assert.Null(bad.DispatchedAt);
        Assert.Contains("not known to this process", bad.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_committed_while_another_persons_publish_is_in_flight_goes_without_waiting_for_it()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, new DatabaseOptions(), rabbitMq: null, publishWindow: 4);
        var held = new HeldPublish("lane-held");
        using var observer = host.Services.GetRequiredService<IBus>().ConnectPublishObserver(held);
        await NoteAsync(host, "lane-held", 0);
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Committed after the held row was taken: a dispatcher that waits for its batch would hold this one too.
        await NoteAsync(host, "lane-free", 0);
        await NoteAsync(host, "lane-held", 1);
        await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.Receipts.CountAsync(r => r.Kind == "lane-free:0")), n => n == 1, "the other person's row, past the held publish");
        Assert.Equal(0, await host.QueryAsync(db => db.Receipts.CountAsync(r => r.Kind.StartsWith("lane-held:"))));

        held.Release.SetResult();
        var heldReceipts = await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.Receipts.Where(r => r.Kind.StartsWith("lane-held:")).OrderBy(r => r.Id).Select(r => r.Kind).ToListAsync()),
            found => found.Count == 2,
            "both of the held person's rows");
        Assert.Equal(["lane-held:0", "lane-held:1"], heldReceipts);
        await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "every row marked dispatched");
    }

    [Fact]
    public async Task A_publish_that_fails_is_retried_before_the_persons_later_rows_go()
    {
        await using var host = await BusTestHost.StartAsync(_folder.Path, new DatabaseOptions(), rabbitMq: null, publishWindow: 4);
        var refused = new RefusedOnce("lane-refused");
        using var observer = host.Services.GetRequiredService<IBus>().ConnectPublishObserver(refused);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            for (var sequence = 0; sequence < 5; sequence++)
            {
                db.Publish(new PersonNoted(new PersonReference("lane-refused"), sequence));
            }

            await db.SaveChangesAsync();
        }

        var receipts = await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.Receipts.Where(r => r.Kind.StartsWith("lane-refused:")).OrderBy(r => r.Id).Select(r => r.Kind).ToListAsync()),
            found => found.Count == 5,
            "the five rows, the refused one retried");
        Assert.Equal(Enumerable.Range(0, 5).Select(n => $"lane-refused:{n}"), receipts);
        var first = await host.QueryAsync(db => db.OutboxMessages.OrderBy(m => m.Id).FirstAsync());
        Assert.Equal(1, first.Attempts);
        Assert.Contains("refused once", first.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_that_never_returns_times_out_and_its_row_goes_again()
    {
        await using var host = await BusTestHost.StartAsync(
            _folder.Path, new DatabaseOptions(), rabbitMq: null, publishWindow: 4, publishTimeout: TimeSpan.FromSeconds(1));
        // Held without regard to any token, as a publish stuck inside the bus would be.
        var held = new HeldPublish("lane-stuck");
        using var observer = host.Services.GetRequiredService<IBus>().ConnectPublishObserver(held);
        try
        {
            await NoteAsync(host, "lane-stuck", 0);
            await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

            await Eventually.WaitForAsync(
                () => host.QueryAsync(db => db.Receipts.CountAsync(r => r.Kind == "lane-stuck:0")), n => n == 1, "the row, published again while the first publish is still stuck");
            var row = await host.QueryAsync(db => db.OutboxMessages.SingleAsync());
            Assert.Equal(1, row.Attempts);
            Assert.Contains("did not confirm the publish", row.LastError, StringComparison.Ordinal);
        }
        finally
        {
            held.Release.TrySetResult();
        }
    }

    private static async Task NoteAsync(BusTestHost host, string person, int sequence)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        db.Publish(new PersonNoted(new PersonReference(person), sequence));
        await db.SaveChangesAsync();
    }

    private sealed record KeyedByPerson(string PersonKey);

    /// <summary>An observer that acts only before a publish.</summary>
    private abstract class BeforePublishObserver : IPublishObserver
    {
        public abstract Task PrePublish<T>(PublishContext<T> context)
            where T : class;

        public Task PostPublish<T>(PublishContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }

    /// <summary>Holds the first publish of one person's first row until the test lets it go, as a slow broker confirm would.</summary>
    private sealed class HeldPublish(string personKey) : BeforePublishObserver
    {
        private int _held;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task PrePublish<T>(PublishContext<T> context)
        {
            if (context.Message is PersonNoted { Sequence: 0 } noted && noted.Person.PersonKey == personKey && Interlocked.Exchange(ref _held, 1) == 0)
            {
                Entered.TrySetResult();
                await Release.Task;
            }
        }
    }

    /// <summary>Refuses the first publish of one person's first row, as a broker that drops a channel would.</summary>
    private sealed class RefusedOnce(string personKey) : BeforePublishObserver
    {
        private int _refused;

        public override Task PrePublish<T>(PublishContext<T> context) =>
            context.Message is PersonNoted { Sequence: 0 } noted && noted.Person.PersonKey == personKey && Interlocked.Exchange(ref _refused, 1) == 0
                ? throw new InvalidOperationException("refused once")
                : Task.CompletedTask;
    }
}
