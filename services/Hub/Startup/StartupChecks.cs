using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Transport;

namespace IntegrationHub.Hub.Startup;

/// <summary>
/// Checks the broker and migrates every module database before the bus, the outbox dispatchers
/// or Kestrel start. <c>Main</c> runs it before starting the host, so a failure is one clear
/// line; as the first hosted service it also covers hosts started another way (test hosts).
/// </summary>
internal sealed class StartupChecks(HubSettings settings, IEnumerable<IModuleDatabase> databases, IServiceProvider services)
    : IHostedService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _done;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_done)
            {
                return;
            }

            if (settings.Transport == TransportKind.RabbitMq)
            {
                await HubBus.ProbeRabbitMqAsync(settings.RabbitMq, cancellationToken);
            }

            foreach (var database in databases)
            {
                try
                {
                    await database.MigrateAsync(services, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not HubConfigurationException)
                {
                    throw new HubConfigurationException(
                        $"The '{database.Name}' database cannot be opened or migrated: {ex.GetBaseException().Message}");
                }
            }

            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => EnsureAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
