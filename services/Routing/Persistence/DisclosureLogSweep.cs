using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Persistence;

/// <summary>The disclosure log outlives the data it documents, for <see cref="RetentionOptions.LogsKeptFor"/>; then it goes too.</summary>
public sealed class DisclosureLogSweep(RetentionOptions retention) : IRetentionSweep<RoutingDbContext>
{
    public IQueryable<DateTimeOffset> Expired(RoutingDbContext db, DateTimeOffset now)
    {
        var cutoff = now - retention.LogsKeptFor;
        return db.Disclosures.Where(d => d.DecidedAt < cutoff).OrderBy(d => d.DecidedAt).Select(d => d.DecidedAt);
    }

    public Task<int> DeleteUpToAsync(RoutingDbContext db, DateTimeOffset bound, CancellationToken cancellationToken) =>
        db.Disclosures.Where(d => d.DecidedAt <= bound).ExecuteDeleteAsync(cancellationToken);
}
