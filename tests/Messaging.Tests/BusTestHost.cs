using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Leases;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Transport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Messaging.Tests;

/// <summary>
/// A process as the hub composes it (module database with outbox and inbox, dead-letter store,
/// bus on real RabbitMQ), over SQLite files in a folder that outlives the host so a test can
/// "restart" by starting another host on the same files.
/// </summary>
public sealed class BusTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private BusTestHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public FailureSwitch Failure => Services.GetRequiredService<FailureSwitch>();

    public static async Task<BusTestHost> StartAsync(
        string dataDirectory, DatabaseOptions database, RabbitMqOptions? rabbitMq, TimeProvider? time = null, int? publishWindow = null, TimeSpan? publishTimeout = null, TimeSpan? cleanupInterval = null,
        TimeSpan? leaseDuration = null, bool consumers = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var paths = new HubPaths(dataDirectory);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton<FailureSwitch>();
        builder.Services.AddSingleton(new AtRestCipher(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        builder.Services.Configure<OutboxOptions>(o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.PublishWindow = publishWindow ?? o.PublishWindow;
            o.PublishTimeout = publishTimeout ?? o.PublishTimeout;
            o.CleanupInterval = cleanupInterval ?? o.CleanupInterval;
        });
        builder.Services.Configure<LeaseOptions>(o => o.Duration = leaseDuration ?? o.Duration);
        builder.Services.AddModuleDatabase<TestDbContext>("test", database, paths);
        builder.Services.AddModuleDatabase<HubMessagingDbContext>(HubMessagingDbContext.DatabaseName, database, paths);
        builder.Services.AddHubBus(
            rabbitMq is null ? TransportKind.InMemory : TransportKind.RabbitMq,
            new BusOptions { RetryIntervals = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)] },
            rabbitMq ?? new RabbitMqOptions(),
            consumers ? [bus => bus.AddConsumers(typeof(TestDbContext).Assembly)] : []);
        var host = builder.Build();
        await MigrateAsync(host.Services);
        await host.StartAsync();
        return new BusTestHost(host);
    }

    /// <summary>Opens the module database directly, as a process that has not started its bus.</summary>
    public static async Task<TestDbContext> OpenDatabaseAsync(string dataDirectory, DatabaseOptions database)
    {
        var builder = new DbContextOptionsBuilder<TestDbContext>();
        ModuleDatabase.UseProvider(
            builder, database.Provider, ModuleDatabase.ConnectionStringFor("test", database, new HubPaths(dataDirectory)));
        var db = new TestDbContext(builder.Options, TimeProvider.System);
        Directory.CreateDirectory(dataDirectory);
        await db.Database.MigrateAsync();
        return db;
    }

    public async Task<T> QueryAsync<T>(Func<TestDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    /// <summary>Commits one <see cref="PersonNoted"/> per person for each sequence from <paramref name="from"/> up to <paramref name="to"/>, a transaction per sequence.</summary>
    public async Task NotePeopleAsync(IReadOnlyList<string> people, int from, int to)
    {
        for (var sequence = from; sequence < to; sequence++)
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            foreach (var person in people)
            {
                db.Publish(new PersonNoted(new Contracts.PersonReference(person), sequence));
            }

            await db.SaveChangesAsync();
        }
    }

    /// <summary>The <see cref="PersonNoted"/> receipts ("person:sequence") of the people whose keys start with the prefix, in the order they were stored.</summary>
    public Task<List<string>> PersonReceiptsAsync(string prefix) =>
        QueryAsync(db => db.Receipts.Where(r => r.Kind.StartsWith(prefix)).OrderBy(r => r.Id).Select(r => r.Kind).ToListAsync());

    /// <summary>Each person's receipts are the sequences 0 up to <paramref name="count"/>, each once and in order.</summary>
    public static void AssertEachPersonInOrder(IReadOnlyList<string> receipts, IEnumerable<string> people, int count)
    {
        foreach (var person in people)
        {
            var sequences = receipts.Where(k => k.StartsWith($"{person}:", StringComparison.Ordinal))
                .Select(k => int.Parse(k[(person.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, count), sequences);
        }
    }

    public async Task<T> QueryDeadLettersAsync<T>(Func<HubMessagingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubMessagingDbContext>());
    }

    public async Task<int> ReceiptCountAsync(string kind, Guid subjectId) =>
        await QueryAsync(db => db.Receipts.CountAsync(r => r.Kind == kind && r.SubjectId == subjectId));

    /// <summary>Waits until a marker sent now has been processed: everything queued before it has been too.</summary>
    public async Task DrainOrderedQueueAsync()
    {
        var marker = new Marker(Guid.NewGuid());
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(
            Services.GetRequiredService<CommandAddresses>().For("ordered-receipts"));
        await endpoint.Send(marker);
        await TestSupport.Eventually.WaitForAsync(() => ReceiptCountAsync(nameof(Marker), marker.MarkerId), n => n == 1, "the marker");
    }

    private static async Task MigrateAsync(IServiceProvider services)
    {
        foreach (var database in services.GetServices<IModuleDatabase>())
        {
            await database.MigrateAsync(services, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
