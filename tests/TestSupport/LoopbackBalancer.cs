using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A load balancer on loopback in front of the instances of one process group, as a platform's
/// would be: round robin over the instances that answer <c>/health/ready</c>, asked every second,
/// so an instance that dies or stops leaves the rotation (YARP's reverse proxy).
/// </summary>
public sealed class LoopbackBalancer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _name;

    private LoopbackBalancer(WebApplication app, string name, Uri address)
    {
        _app = app;
        _name = name;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LoopbackBalancer> StartAsync(string name, IReadOnlyList<Uri> instances)
    {
        var app = LoopbackApp.Create(builder => builder.Services.AddReverseProxy().LoadFromMemory([Route(name)], [Cluster(name, instances)]));
        app.MapReverseProxy();
        return new LoopbackBalancer(app, name, new Uri(await LoopbackApp.StartAsync(app)));
    }

    /// <summary>An instance started again listens on a new port: the balancer sends to the instances as they are now.</summary>
    public void SendTo(IReadOnlyList<Uri> instances) =>
        _app.Services.GetRequiredService<InMemoryConfigProvider>().Update([Route(_name)], [Cluster(_name, instances)]);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static RouteConfig Route(string name) => new()
    {
        RouteId = name,
        ClusterId = name,
        Match = new RouteMatch { Path = "{**path}" },
    };

    private static ClusterConfig Cluster(string name, IReadOnlyList<Uri> instances) => new()
    {
        ClusterId = name,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(1),
                Timeout = TimeSpan.FromSeconds(2),
                Path = "/health/ready",
            },
        },
        Destinations = instances.Select((uri, n) => (uri, n)).ToDictionary(i => $"{name}-{i.n + 1}", i => new DestinationConfig { Address = i.uri.ToString() }),
    };
}
