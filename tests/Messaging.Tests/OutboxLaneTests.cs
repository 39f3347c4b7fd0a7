using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
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

        var receipts = await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.Receipts.Where(r => r.Kind.StartsWith("lane-person-")).OrderBy(r => r.Id).Select(r => r.Kind).ToListAsync()),
            found => found.Count == 100,
            "a receipt for each of the 100 rows");
        foreach (var person in people)
        {
            var sequences = receipts.Where(k => k.StartsWith($"{person}:", StringComparison.Ordinal)).Select(k => int.Parse(k[(person.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, 20), sequences);
        }
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

    private sealed record KeyedByPerson(string PersonKey);
}
