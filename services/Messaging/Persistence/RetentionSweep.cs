namespace IntegrationHub.Messaging.Persistence;

/// <summary>
/// Rows a module keeps for a period of their own (the disclosure log), deleted by the outbox cleanup
/// of the module's database, oldest first, in chunks: on PostgreSQL by the one instance that holds the
/// first partition, like the rest of the cleanup.
/// </summary>
/// <typeparam name="TContext">The module database the rows are in.</typeparam>
public interface IRetentionSweep<TContext>
    where TContext : MessagingDbContext
{
    /// <summary>The ages of the rows past their period, oldest first.</summary>
    IQueryable<DateTimeOffset> Expired(TContext db, DateTimeOffset now);

    /// <summary>Deletes every row past its period up to <paramref name="bound"/>, in one statement.</summary>
    Task<int> DeleteUpToAsync(TContext db, DateTimeOffset bound, CancellationToken cancellationToken);
}
