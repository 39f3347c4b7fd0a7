using IntegrationHub.Messaging.Transport;

namespace IntegrationHub.TestSupport;

/// <summary>
/// Private RabbitMQ nodes on 127.0.0.1 joined into one cluster, as an operator joins them, for the
/// tests that lose a node. The nodes share a port mapper (epmd), which is how they find each other.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private PrivateCluster(IReadOnlyList<PrivateBroker> members) => Members = members;

    public IReadOnlyList<PrivateBroker> Members { get; }

    /// <summary>A member still running, to ask about the cluster.</summary>
    public PrivateBroker Running => Members.First(member => member.IsRunning);

    /// <summary>The hub's settings for the cluster: every node, in turn.</summary>
    public RabbitMqOptions Options => new()
    {
        Host = "127.0.0.1",
        Port = Members[0].Options.Port,
        VirtualHost = "/",
        Nodes = [.. Members.Select(member => $"127.0.0.1:{member.Options.Port}")],
    };

    public static async Task<PrivateCluster> StartAsync(int size = 3)
    {
        var epmdPort = PrivateBroker.FreePort();
        var members = new List<PrivateBroker>();
        try
        {
            // One after another: on two cores, Erlang VMs that boot at once each take longer.
            for (var n = 0; n < size; n++)
            {
                members.Add(await PrivateBroker.StartAsync(epmdPort));
            }

            foreach (var member in members.Skip(1))
            {
                await member.JoinAsync(members[0]);
            }
        }
        catch
        {
            await DisposeAllAsync(members);
            throw;
        }

        return new PrivateCluster(members);
    }

    /// <summary>The member that holds the client connection of the given virtual host (the hub's, when it is the only client there).</summary>
    public async Task<PrivateBroker> ServingAsync(string virtualHost)
    {
        // A connection's Erlang process id names the node it lives on: <node.n.n.n>.
        var lines = (await Running.CtlAsync("list_connections", "--quiet", "--no-table-headers", "pid", "vhost"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2 && fields[1] == virtualHost)
            .ToList();
        return lines.Count == 0
            ? throw new InvalidOperationException($"No connection on virtual host {virtualHost}.")
            : Members.Single(member => lines[0][0].StartsWith($"<{member.Node}.", StringComparison.Ordinal));
    }

    /// <summary>
    /// The quorum queue with the most messages waiting or unacknowledged, and the member that
    /// leads it (its Raft leader: the replica every publish and delivery of that queue goes through).
    /// </summary>
    public async Task<(string Queue, int Messages, PrivateBroker Leader)> BusiestQueueAsync()
    {
        var output = await Running.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "type", "leader", "messages");
        var busiest = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 4 && fields[1] == "quorum")
            .Select(fields => (Queue: fields[0], Leader: fields[2], Messages: int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderByDescending(queue => queue.Messages)
            .FirstOrDefault();
        return busiest.Queue is null
            ? throw new InvalidOperationException($"No quorum queue: {output}")
            : (busiest.Queue, busiest.Messages, Members.Single(member => member.Node == busiest.Leader));
    }

    /// <summary>The nodes a quorum queue has a replica on, as the cluster reports them.</summary>
    public async Task<IReadOnlyList<string>> ReplicasAsync(string queue)
    {
        var output = await Running.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "members");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.StartsWith(queue + "\t", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No queue {queue}: {output}");
        return [.. Members.Select(member => member.Node).Where(node => line.Contains(node, StringComparison.Ordinal))];
    }

    public ValueTask DisposeAsync() => DisposeAllAsync(Members);

    private static async ValueTask DisposeAllAsync(IEnumerable<PrivateBroker> members)
    {
        // The first node last: the port mapper stops with the last node registered on it.
        foreach (var member in members.Reverse())
        {
            await member.DisposeAsync();
        }
    }
}
