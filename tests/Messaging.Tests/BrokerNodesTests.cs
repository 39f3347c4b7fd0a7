using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Transport;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Tests;

/// <summary>The hub given the nodes of a RabbitMQ cluster: one that answers is enough.</summary>
public sealed class BrokerNodesTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new("broker-nodes");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("10.0.0.1:5673", "10.0.0.1", 5673)]
    [InlineData("rabbit-2", "rabbit-2", 5672)]
    [InlineData(" rabbit-3:5674 ", "rabbit-3", 5674)]
    public void A_node_is_host_and_port_and_the_port_defaults_to_the_brokers(string node, string host, ushort port)
    {
        var options = new RabbitMqOptions { Port = 5672, Nodes = [node] };

        Assert.Equal([(host, port)], options.Endpoints());
    }

    [Theory]
    [InlineData("rabbit-1:not-a-port")]
    [InlineData(":5672")]
    [InlineData("rabbit-1:0")]
    [InlineData("rabbit-1:70000")]
    public void A_node_that_is_not_host_and_port_is_a_configuration_error(string node)
    {
        var options = new RabbitMqOptions { Nodes = ["rabbit-0:5672", node] };

        var error = Assert.Throws<HubConfigurationException>(() => options.Validate(development: true));
        Assert.Contains($"'{node}' is not host:port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_connection_is_made_at_once_and_every_later_one_after_the_reconnect_delay()
    {
        var waits = new List<TimeSpan>();
        var pause = new ReconnectPause(TimeSpan.FromSeconds(5), span =>
        {
            waits.Add(span);
            return Task.CompletedTask;
        });

        await pause.BeforeConnectingAsync();
        Assert.Empty(waits);
        await pause.BeforeConnectingAsync();
        await pause.BeforeConnectingAsync();
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], waits);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:01")]
    public void A_reconnect_delay_below_zero_or_above_five_minutes_is_a_configuration_error(string delay)
    {
        var options = new RabbitMqOptions { ReconnectDelay = TimeSpan.Parse(delay, System.Globalization.CultureInfo.InvariantCulture) };

        var error = Assert.Throws<HubConfigurationException>(() => options.Validate(development: true));
        Assert.Contains("ReconnectDelay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_development_every_node_off_loopback_needs_tls()
    {
        var options = new RabbitMqOptions { Username = "hub", Nodes = ["127.0.0.1:5672", "rabbit-2.example:5672"] };

        var error = Assert.Throws<HubConfigurationException>(() => options.Validate(development: false));
        Assert.Contains("rabbit-2.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_start_up_probe_passes_when_one_node_answers_and_names_every_node_when_none_does()
    {
        var live = await TestBroker.CreateVirtualHostAsync("probe-nodes");
        var downPort = HubProcess.FreePort();
        var oneDown = Cluster(live, downPort);

        await HubBus.ProbeRabbitMqAsync(oneDown, CancellationToken.None);

        var allDown = new RabbitMqOptions { VirtualHost = live.VirtualHost, ConnectTimeout = TimeSpan.FromSeconds(3), Nodes = [$"127.0.0.1:{downPort}", $"127.0.0.1:{HubProcess.FreePort()}"] };
        var error = await Assert.ThrowsAsync<HubConfigurationException>(() => HubBus.ProbeRabbitMqAsync(allDown, CancellationToken.None));
        Assert.Contains($"127.0.0.1:{downPort}, 127.0.0.1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_whose_first_node_is_down_connects_to_the_next_and_delivers()
    {
        var live = await TestBroker.CreateVirtualHostAsync("nodes");
        await using var host = await BusTestHost.StartAsync(_folder.Path, new DatabaseOptions(), Cluster(live, HubProcess.FreePort()));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Publish(new PersonNoted(new PersonReference("nodes-person"), 0));
            await db.SaveChangesAsync();
        }

        await Eventually.WaitForAsync(
            () => host.QueryAsync(db => db.Receipts.CountAsync(r => r.Kind == "nodes-person:0")), n => n == 1, "the message, through the node that answers");
    }

    /// <summary>A node nobody listens on first, then the test broker; Host and Port point nowhere, so only the list can work.</summary>
    private static RabbitMqOptions Cluster(RabbitMqOptions live, int downPort) => new()
    {
        Host = "127.0.0.1",
        Port = (ushort)downPort,
        VirtualHost = live.VirtualHost,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        Nodes = [$"127.0.0.1:{downPort}", $"{live.Host}:{live.Port}"],
    };
}
