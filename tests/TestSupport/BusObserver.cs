using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.TestSupport;

/// <summary>A receive endpoint of its own on a running hub's bus that records what the hub publishes.</summary>
public sealed class BusObserver : IAsyncDisposable
{
    private HostReceiveEndpointHandle? _handle;

    public ConcurrentQueue<object> Messages { get; } = new();

    /// <param name="handlers">Registers a handler per message type, each calling <see cref="Record"/>.</param>
    /// <param name="queueName">A queue of its own by default; a named one to stand in for a module that receives commands.</param>
    public static async Task<BusObserver> StartAsync(
        IServiceProvider services, Action<BusObserver, IReceiveEndpointConfigurator> handlers, string? queueName = null)
    {
        var observer = new BusObserver();
        observer._handle = services.GetRequiredService<IBus>().ConnectReceiveEndpoint(
            queueName ?? $"test-observer-{Guid.NewGuid():N}", endpoint => handlers(observer, endpoint));
        await observer._handle.Ready;
        return observer;
    }

    public Task Record(object message)
    {
        Messages.Enqueue(message);
        return Task.CompletedTask;
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool> match)
        where T : class =>
        (T)(await Eventually.WaitForAsync(
            () => Task.FromResult(Messages.FirstOrDefault(m => m is T t && match(t))),
            m => m is not null,
            $"a published {typeof(T).Name}"))!;

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}
