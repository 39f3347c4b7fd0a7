namespace IntegrationHub.Messaging.Outbox;

/// <summary>
/// Wakes a context's outbox dispatcher when a transaction with outbox rows commits, so messages
/// leave at once instead of at the next poll.
/// </summary>
public sealed class OutboxSignal<TContext>
    where TContext : MessagingDbContext
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        // Already signalled: one wake-up covers any number of commits. The check spares the
        // SemaphoreFullException, thrown hundreds of times a second under load; the rare race
        // between check and release still ends in that exception, caught.
        if (_signal.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
