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
}
