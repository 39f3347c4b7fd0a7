using IntegrationHub.Audit.Domain;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Audit.Persistence;

/// <summary>
/// The audit log outlives the data it documents, for <see cref="RetentionOptions.LogsKeptFor"/>; then
/// its oldest entries go, and the chain goes on verifiably from a sealed anchor (<see cref="AuditChain.PruneUpToAsync"/>).
/// </summary>
public sealed class AuditLogSweep(RetentionOptions retention, TimeProvider time, AuditSealKey key, IOptions<AuditOptions> options) : IRetentionSweep<AuditDbContext>
{
    public IQueryable<DateTimeOffset> Expired(AuditDbContext db, DateTimeOffset now)
    {
        var cutoff = now - retention.LogsKeptFor;
        return db.Entries.Where(e => e.RecordedAt < cutoff).OrderBy(e => e.RecordedAt).Select(e => e.RecordedAt);
    }

    public Task<int> DeleteUpToAsync(AuditDbContext db, DateTimeOffset bound, CancellationToken cancellationToken) =>
        new AuditChain(db, time, key, options).PruneUpToAsync(bound, cancellationToken);
}
