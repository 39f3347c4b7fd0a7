using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Tests;

public abstract class DurableTimerTests(DatabaseProvider provider) : IDisposable
{
    private readonly DatabaseOptions _database = TestDatabases.Create(provider);
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDirectory _folder = new("timer-tests");

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _folder.Dispose();
    }

    private static async Task ScheduleAsync(BusTestHost host, Guid reminderId, DateTimeOffset dueAt, string key)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await db.ScheduleAsync(new ReminderDue(reminderId), dueAt, key, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private static Task<int> DispatchNowAsync(BusTestHost host) =>
        host.Services.GetRequiredService<OutboxDispatcher<TestDbContext>>().DispatchDueAsync(100, CancellationToken.None);

    [Fact]
    public async Task Durable_timer_fires_after_a_restart_once_it_is_due_and_not_before()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("timer");
        var reminderId = Guid.NewGuid();
        await using (var first = await BusTestHost.StartAsync(_folder.Path, _database, rabbitMq, new ManualTimeProvider(Start)))
        {
            await ScheduleAsync(first, reminderId, Start.AddHours(24), $"sla:{reminderId}");
            Assert.Equal(0, await DispatchNowAsync(first));
        }

        var clock = new ManualTimeProvider(Start.AddHours(23));
        await using var restarted = await BusTestHost.StartAsync(_folder.Path, _database, rabbitMq, clock);
        Assert.Equal(0, await DispatchNowAsync(restarted));
        Assert.Equal(0, await restarted.ReceiptCountAsync(nameof(ReminderDue), reminderId));

        clock.Advance(TimeSpan.FromHours(1));

        await Eventually.WaitForAsync(() => restarted.ReceiptCountAsync(nameof(ReminderDue), reminderId), n => n == 1, "the timer");
        await Eventually.WaitForAsync(
            () => restarted.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the outbox to drain");
    }

    [Fact]
    public async Task Cancelled_timer_never_fires_and_rescheduling_keeps_one_timer()
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await BusTestHost.StartAsync(_folder.Path, _database, rabbitMq: null, clock);
        var cancelled = Guid.NewGuid();
        var rescheduled = Guid.NewGuid();
        await ScheduleAsync(host, cancelled, Start.AddHours(1), "cancel-me");
        await ScheduleAsync(host, rescheduled, Start.AddHours(1), "move-me");
        await ScheduleAsync(host, rescheduled, Start.AddHours(2), "move-me");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            Assert.True(await db.CancelTimerAsync("cancel-me", CancellationToken.None));
            await db.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromHours(3));
        await Eventually.WaitForAsync(() => host.ReceiptCountAsync(nameof(ReminderDue), rescheduled), n => n == 1, "the rescheduled timer");
        // The dispatcher marks its batch after publishing it; once nothing is pending, all that will fire has fired.
        await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the outbox to drain");
        Assert.Equal(0, await host.ReceiptCountAsync(nameof(ReminderDue), cancelled));
        Assert.Equal(1, await host.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.TimerKey == "move-me")));
    }

    [Fact]
    public async Task Two_transactions_rescheduling_the_same_timer_at_once_both_save()
    {
        var reminderId = Guid.NewGuid();
        await using (var setup = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database))
        {
            await setup.ScheduleAsync(new ReminderDue(reminderId), Start.AddHours(1), "race", CancellationToken.None);
            await setup.SaveChangesAsync();
        }

        await using var first = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database);
        await using var second = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database);
        await first.ScheduleAsync(new ReminderDue(reminderId), Start.AddHours(2), "race", CancellationToken.None);
        await second.ScheduleAsync(new ReminderDue(reminderId), Start.AddHours(3), "race", CancellationToken.None);

        await first.SaveChangesAsync();
        // The row both meant to cancel is gone already: the second save goes on without that delete.
        await second.SaveChangesAsync();

        var pending = await first.OutboxMessages.AsNoTracking().Where(m => m.TimerKey == "race" && m.DispatchedAt == null).Select(m => m.DueAt).ToListAsync();
        Assert.DoesNotContain(Start.AddHours(1), pending);
        Assert.Contains(Start.AddHours(3), pending);
    }

    [Fact]
    public async Task Marking_a_page_of_timers_that_were_rescheduled_meanwhile_saves_the_rest_however_many_were_removed()
    {
        var keys = Enumerable.Range(0, 5).Select(i => $"page-{i}").ToList();
        List<Messaging.Outbox.OutboxMessage> page;
        await using (var setup = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database))
        {
            foreach (var key in keys)
            {
                await setup.ScheduleAsync(new ReminderDue(Guid.NewGuid()), Start, key, CancellationToken.None);
            }

            setup.Publish(new Marker(Guid.NewGuid()));
            await setup.SaveChangesAsync();
            page = await setup.OutboxMessages.AsNoTracking().ToListAsync();
        }

        // Four of the five timers are rescheduled while the dispatcher has them in flight.
        await using (var rescheduler = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database))
        {
            foreach (var key in keys.Take(4))
            {
                await rescheduler.ScheduleAsync(new ReminderDue(Guid.NewGuid()), Start.AddHours(1), key, CancellationToken.None);
            }

            await rescheduler.SaveChangesAsync();
        }

        await using var marker = await BusTestHost.OpenDatabaseAsync(_folder.Path, _database);
        foreach (var row in page)
        {
            row.DispatchedAt = Start;
            marker.OutboxMessages.Attach(row).Property(m => m.DispatchedAt).IsModified = true;
        }

        await marker.SaveChangesAsync();
        var marked = await marker.OutboxMessages.AsNoTracking().Where(m => m.DispatchedAt != null).Select(m => m.TimerKey).ToListAsync();
        Assert.Equal(2, marked.Count);
        Assert.Contains("page-4", marked);
        Assert.Contains(null, marked);
    }
}

public sealed class DurableTimerTestsOnSqlite() : DurableTimerTests(DatabaseProvider.Sqlite);

public sealed class DurableTimerTestsOnPostgres() : DurableTimerTests(DatabaseProvider.Postgres);
