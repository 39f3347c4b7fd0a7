using IntegrationHub.Messaging.Leases;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Messaging.Tests;

/// <summary>
/// Instances sharing a PostgreSQL module database divide its outbox by person: each leases a fair
/// share of the partitions, never one another's, and a dead or stopped instance's share passes on.
/// </summary>
public sealed class PartitionLeaseTests : IDisposable
{
    private static readonly LeaseOptions ShortLeases = new() { Duration = TimeSpan.FromSeconds(3) };
    private readonly TemporaryDirectory _folder = new("partition-leases");
    private readonly DatabaseOptions _database = TestDatabases.Create(DatabaseProvider.Postgres);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_persons_partition_is_the_same_in_every_process()
    {
        // Fixed values, worked out by hand: string.GetHashCode would differ from process to process,
        // and rows already written carry their partition.
        Assert.Equal(2, DutyPartitions.Of("person-a"));
        Assert.Equal(5, DutyPartitions.Of(string.Empty));
        Assert.All(Enumerable.Range(0, 1000), i => Assert.InRange(DutyPartitions.Of($"p{i}"), 0, DutyPartitions.Count - 1));
        Assert.Equal(DutyPartitions.Count, Enumerable.Range(0, 1000).Select(i => DutyPartitions.Of($"p{i}")).Distinct().Count());
    }

    [Fact]
    public async Task Two_instances_share_the_partitions_and_a_dead_ones_pass_to_the_other_once_its_leases_run_out()
    {
        await (await BusTestHost.OpenDatabaseAsync(_folder.Path, _database)).DisposeAsync();
        await using var services = ServicesFor(_database);
        var first = LeasesIn(services);
        var second = LeasesIn(services);

        Assert.Equal(DutyPartitions.Count, (await first.HeldAsync(CancellationToken.None)).Length);
        Assert.Empty(await second.HeldAsync(CancellationToken.None));

        using var firstAlive = new CancellationTokenSource();
        using var secondAlive = new CancellationTokenSource();
        var firstRenewing = first.KeepRenewingAsync(firstAlive.Token);
        var secondRenewing = second.KeepRenewingAsync(secondAlive.Token);
        var overlaps = new List<int>();
        Task<(int, int)> Held()
        {
            var (a, b) = (first.Current, second.Current);
            overlaps.AddRange(a.Intersect(b));
            return Task.FromResult((a.Length, b.Length));
        }

        await Eventually.WaitForAsync(Held, held => held == (32, 32), "an even share each");

        // The first dies: it renews nothing more and gives nothing back.
        await firstAlive.CancelAsync();
        await firstRenewing;
        await Eventually.WaitForAsync(Held, held => held == (0, DutyPartitions.Count), "every partition with the one left");
        Assert.Empty(overlaps);

        // A third joins, takes its share, and gives it back at a clean stop.
        var third = LeasesIn(services);
        using var thirdAlive = new CancellationTokenSource();
        var thirdRenewing = third.KeepRenewingAsync(thirdAlive.Token);
        await Eventually.WaitForAsync(() => Task.FromResult(third.Current.Length), held => held == 32, "the newcomer's share");
        Assert.Empty(third.Current.Intersect(second.Current));
        await thirdAlive.CancelAsync();
        await thirdRenewing;
        await third.ReleaseAsync(CancellationToken.None);
        Assert.Empty(third.Current);
        await Eventually.WaitForAsync(() => Task.FromResult(second.Current.Length), held => held == DutyPartitions.Count, "every partition back with the one left");

        await secondAlive.CancelAsync();
        await secondRenewing;
    }

    [Fact]
    public async Task Two_instances_publish_one_outbox_each_persons_rows_in_order_and_the_one_left_takes_over_at_a_stop()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("two-instances");
        // One receives, so the receipts are in the order the broker delivered; both publish.
        await using var receiving = await BusTestHost.StartAsync(_folder.Combine("a"), _database, rabbitMq, leaseDuration: ShortLeases.Duration);
        var publishing = await BusTestHost.StartAsync(_folder.Combine("b"), _database, rabbitMq, leaseDuration: ShortLeases.Duration, consumers: false);
        var first = receiving.Services.GetRequiredService<OutboxDispatcher<TestDbContext>>();
        var second = publishing.Services.GetRequiredService<OutboxDispatcher<TestDbContext>>();
        await Eventually.WaitForAsync(
            () => Task.FromResult((first.Leases.Current.Length, second.Leases.Current.Length)), held => held == (32, 32), "an even share each");

        var people = Enumerable.Range(0, 40).Select(p => $"two-instances-{p}").ToList();
        await receiving.NotePeopleAsync(people, 0, 10);
        await Eventually.WaitForAsync(() => receiving.PersonReceiptsAsync("two-instances-"), found => found.Count == 400, "a receipt for each of the first 400 rows");
        Assert.True(first.Published > 0, "the first instance published none of the rows");
        Assert.True(second.Published > 0, "the second instance published none of the rows");
        Assert.Equal(400, first.Published + second.Published);

        // The second stops while more is written: what it held passes to the first.
        var stopping = publishing.DisposeAsync();
        await receiving.NotePeopleAsync(people, 10, 20);
        await stopping;
        var receipts = await Eventually.WaitForAsync(() => receiving.PersonReceiptsAsync("two-instances-"), found => found.Count == 800, "a receipt for each of the 800 rows");
        Assert.Equal(DutyPartitions.Count, first.Leases.Current.Length);
        Assert.Equal(0, await receiving.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.DispatchedAt == null)));
        BusTestHost.AssertEachPersonInOrder(receipts, people, 20);
    }

    private static ServiceProvider ServicesFor(DatabaseOptions database)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        var connectionString = ModuleDatabase.ConnectionStringFor("test", database, new Hosting.HubPaths(Path.GetTempPath()));
        services.AddDbContext<TestDbContext>(builder => ModuleDatabase.UseProvider(builder, database.Provider, connectionString));
        return services.BuildServiceProvider();
    }

    private static PartitionLeases<TestDbContext> LeasesIn(ServiceProvider services) =>
        new(services.GetRequiredService<IServiceScopeFactory>(), "outbox", ShortLeases, NullLogger.Instance);
}
