using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Messaging.Tests;

/// <summary>The hub on a cluster of three RabbitMQ nodes, with its quorum queues replicated on each.</summary>
public sealed class BrokerClusterTests : IDisposable
{
    private const int People = 10;
    private const int PerPerson = 40;
    private readonly TemporaryDirectory _folder = new("broker-cluster");

    public void Dispose() => _folder.Dispose();

    // Without Hub:RabbitMq:ReconnectDelay it failed 3 runs of 8: see ReconnectPause.
    [ClusterFact]
    public async Task Killing_the_node_the_hub_is_connected_to_moves_it_to_another_and_loses_and_repeats_nothing()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var host = await BusTestHost.StartAsync(
            _folder.Path, new DatabaseOptions(), cluster.Options, publishWindow: 4, publishTimeout: TimeSpan.FromSeconds(5));
        Assert.Equal(cluster.Members.Select(member => member.Node).Order(), (await cluster.ReplicasAsync("person-receipts")).Order());
        var people = Enumerable.Range(0, People).Select(p => $"cluster-person-{p}").ToList();

        await host.NotePeopleAsync(people, 0, 15);
        await Eventually.WaitForAsync(() => host.PersonReceiptsAsync("cluster-person-"), found => found.Count >= 100, "the first deliveries");
        var connectionsBefore = await cluster.Members[0].CtlAsync("list_connections", "pid", "vhost", "state");
        var killed = await cluster.ServingAsync("/");
        await killed.KillAsync();
        // Committed while the hub has lost its node: published once it is on another.
        await host.NotePeopleAsync(people, 15, PerPerson);

        List<string> receipts;
        try
        {
            receipts = await Eventually.WaitForAsync(
                () => host.PersonReceiptsAsync("cluster-person-"), found => found.Count >= People * PerPerson, "every message, through the nodes left", TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException timeout)
        {
            var alive = cluster.Running;
            var queues = await alive.CtlAsync("list_queues", "name", "type", "durable", "auto_delete", "exclusive", "state", "pid", "leader", "members", "online", "messages");
            var connections = await alive.CtlAsync("list_connections", "pid", "vhost", "state");
            var logs = string.Join("\n", cluster.Members.Where(member => member.IsRunning).Select(member => $"--- {member.Node}:\n{member.LogTail()}"));
            throw new TimeoutException(
                $"{timeout.Message}: {(await host.PersonReceiptsAsync("cluster-person-")).Count} of {People * PerPerson}; killed {killed.Node}. Queues on the nodes left:\n{queues}\nConnections before:\n{connectionsBefore}\nafter:\n{connections}\n{logs}", timeout);
        }

        Assert.Equal(receipts.Count, receipts.Distinct().Count());
        BusTestHost.AssertEachPersonInOrder(receipts, people, PerPerson);

        Assert.NotEqual(killed.Node, (await cluster.ServingAsync("/")).Node);
    }
}
