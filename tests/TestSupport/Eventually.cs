namespace IntegrationHub.TestSupport;

/// <summary>Waits for asynchronous delivery. A bound on waiting, not a timing assertion.</summary>
public static class Eventually
{
    /// <param name="describe">How the last value reads in the failure, when its ToString says nothing.</param>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what}; last value: {(describe is null ? value : describe(value))}");
            }

            await Task.Delay(50);
        }
    }
}
