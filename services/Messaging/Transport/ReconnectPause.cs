namespace IntegrationHub.Messaging.Transport;

/// <summary>
/// Holds back every connection to the broker after the first by <see cref="RabbitMqOptions.ReconnectDelay"/>.
/// Found on a three-node cluster of Debian's RabbitMQ 3.10: when the node leading a quorum queue
/// dies and the hub connects to another node in the moment (here 0.1-0.2 s) before that node knows
/// the queue's new leader, the new channel keeps the dead leader for that queue, and the broker
/// refuses (nacks) every later publish routed to it on that channel, for as long as the channel
/// lives. Connecting after the election leaves no such window.
/// </summary>
internal sealed class ReconnectPause(TimeSpan delay, Func<TimeSpan, Task>? wait = null)
{
    private readonly Func<TimeSpan, Task> _wait = wait ?? (span => Task.Delay(span));
    private int _connections;

    /// <summary>Called by MassTransit before each connection it opens.</summary>
    public Task BeforeConnectingAsync() =>
        Interlocked.Increment(ref _connections) == 1 || delay == TimeSpan.Zero ? Task.CompletedTask : _wait(delay);
}
