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

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    /// <summary>Quorum queues replicate and survive a broker restart; off only for a broker that lacks them.</summary>
    public bool QuorumQueues { get; set; } = true;

    public ushort PrefetchCount { get; set; } = 32;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

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
        if (development)
        {
            return;
        }

        if (string.Equals(Username, "guest", StringComparison.Ordinal))
        {
            throw new Hosting.HubConfigurationException("Hub:RabbitMq:Username 'guest' is refused outside Development: give the hub a user and password of its own.");
        }

        var loopback = Host is "localhost" || (System.Net.IPAddress.TryParse(Host, out var address) && System.Net.IPAddress.IsLoopback(address));
        if (!loopback && !UseTls)
        {
            throw new Hosting.HubConfigurationException($"Hub:RabbitMq:UseTls is required outside Development for the broker at {Host}.");
        }

        if (TlsClientCertificatePath is { Length: > 0 } path && !File.Exists(path))
        {
            throw new Hosting.HubConfigurationException($"Hub:RabbitMq:TlsClientCertificatePath: no file at {path}.");
        }
    }
}
