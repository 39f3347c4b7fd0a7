namespace IntegrationHub.Messaging.Transport;

public enum TransportKind
{
    InMemory,
    RabbitMq,
}

public sealed class BusOptions
{
    public const string TransportKey = "Hub:Transport";

    /// <summary>Delays between retries of a failing message before it is dead-lettered.</summary>
    public List<TimeSpan> RetryIntervals { get; set; } =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];
}

public sealed class RabbitMqOptions
{
    public const string Section = "Hub:RabbitMq";

    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    /// <summary>
    /// The nodes of a RabbitMQ cluster, each "host:port" (the port defaults to <see cref="Port"/>).
    /// The hub connects to one and, when it goes, to the next in turn. Empty: <see cref="Host"/> and
    /// <see cref="Port"/> alone.
    /// </summary>
    public List<string> Nodes { get; set; } = [];

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    /// <summary>Quorum queues replicate and survive a broker restart; off only for a broker that lacks them.</summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>
    /// On how many nodes a quorum queue is placed when it is declared; empty leaves it to the broker,
    /// which takes every node of the cluster. A publish is confirmed once a majority of them has it.
    /// </summary>
    public int? QuorumReplicas { get; set; }

    public ushort PrefetchCount { get; set; } = 32;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the hub waits before it connects again after losing its connection (RabbitMQ.Client's
    /// own recovery waits as long), so that a cluster which lost a node has elected new leaders for
    /// that node's quorum queues first. See <see cref="ReconnectPause"/> for why it matters.
    /// </summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>AMQPS (usually port 5671). Required outside Development for a broker that is not on loopback.</summary>
    public bool UseTls { get; set; }

    /// <summary>The name on the broker's certificate; defaults to <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>A client certificate (PKCS#12) for brokers that authenticate by certificate; optional.</summary>
    public string? TlsClientCertificatePath { get; set; }

    public string? TlsClientCertificatePassword { get; set; }

    /// <summary>
    /// Outside Development the broker's default guest login is refused (it is a well-known password),
    /// and a broker off loopback must be reached over TLS.
    /// </summary>
    public void Validate(bool development)
    {
        var endpoints = Endpoints();
        if (QuorumReplicas is < 1)
        {
            throw new Hosting.HubConfigurationException("Hub:RabbitMq:QuorumReplicas must be at least 1.");
        }

        if (ReconnectDelay < TimeSpan.Zero || ReconnectDelay > TimeSpan.FromMinutes(5))
        {
            throw new Hosting.HubConfigurationException("Hub:RabbitMq:ReconnectDelay must be between 00:00:00 and 00:05:00.");
        }

        if (development)
        {
            return;
        }

        if (string.Equals(Username, "guest", StringComparison.Ordinal))
        {
            throw new Hosting.HubConfigurationException("Hub:RabbitMq:Username 'guest' is refused outside Development: give the hub a user and password of its own.");
        }

        if (!UseTls && endpoints.FirstOrDefault(endpoint => !IsLoopback(endpoint.Host)) is { Host: not null } remote)
        {
            throw new Hosting.HubConfigurationException($"Hub:RabbitMq:UseTls is required outside Development for the broker at {remote.Host}.");
        }

        if (TlsClientCertificatePath is { Length: > 0 } path && !File.Exists(path))
        {
            throw new Hosting.HubConfigurationException($"Hub:RabbitMq:TlsClientCertificatePath: no file at {path}.");
        }
    }

    /// <summary>The nodes to connect to, in turn: <see cref="Nodes"/>, or <see cref="Host"/> and <see cref="Port"/> alone.</summary>
    public IReadOnlyList<(string Host, ushort Port)> Endpoints()
    {
        if (Nodes.Count == 0)
        {
            return [(Host, Port)];
        }

        return [.. Nodes.Select(node =>
        {
            var text = node.Trim();
            var colon = text.LastIndexOf(':');
            var host = colon < 0 ? text : text[..colon];
            var port = Port;
            if (host.Length == 0 || (colon >= 0 && !ushort.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)) || port == 0)
            {
                throw new Hosting.HubConfigurationException($"Hub:RabbitMq:Nodes: '{node}' is not host:port.");
            }

            return (host, port);
        })];
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
