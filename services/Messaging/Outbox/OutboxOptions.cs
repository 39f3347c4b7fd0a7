namespace IntegrationHub.Messaging.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Hub:Outbox";

    /// <summary>How often to look for due timers and rows a missed signal left behind.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How many publishes are in flight at once, each person's rows still one after another. With
    /// 1 (the default), every row waits for the broker's confirm of the last: split over two
    /// processes on RabbitMQ, 58 certificates/s against 133 with 16, and twice the CPU per
    /// certificate (README, benchmarks, 2026-12-02). Not the default, because with 16 the broker
    /// restart fault test stalled in 1 of 4 full fault-suite runs on MassTransit 8.5.12 (and in
    /// 1 of 2 on 8.4): after the restart the intake published nothing more and logged no timeout.
    /// </summary>
    public int PublishWindow { get; set; } = 1;

    /// <summary>Dispatched rows are kept this long for inspection, then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows (what each consumer has processed) are kept this long, then deleted. A message
    /// published again after that (an outbox row dispatched but not yet marked when its process
    /// went down, and the process down this long) would be processed again, so keep it well
    /// beyond any outage.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the outbox and the inbox are cleaned up.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Rows deleted per write turn during cleanup. Every writer of the database waits behind a
    /// turn; in the soak a turn of 1,000 rows took up to 360 ms on SQLite.
    /// </summary>
    public int CleanupChunk { get; set; } = 250;

    /// <summary>
    /// A publish the broker has not confirmed by then counts as failed. MassTransit retries a
    /// refused publish internally without end, which would otherwise stall the outbox silently.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause after a failed publish (broker down) before trying again.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(2);
}
