using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Messaging.DeadLetters;

/// <summary>
/// A dead letter is a message about a person as it came, kept for an admin to replay. It goes
/// <see cref="RetentionOptions.AfterFollowUpEnds"/> after it failed: a message about a person
/// comes while the person is followed, so by the time their data is deleted its dead letters are
/// gone too. Nobody replays a message that old.
/// </summary>
public sealed class DeadLetterSweep(RetentionOptions retention) : IRetentionSweep<HubMessagingDbContext>
{
    public IQueryable<DateTimeOffset> Expired(HubMessagingDbContext db, DateTimeOffset now)
    {
        var cutoff = now - retention.AfterFollowUpEnds;
        return db.DeadLetters.Where(d => d.FailedAt < cutoff).OrderBy(d => d.FailedAt).Select(d => d.FailedAt);
    }

    public Task<int> DeleteUpToAsync(HubMessagingDbContext db, DateTimeOffset bound, CancellationToken cancellationToken) =>
        db.DeadLetters.Where(d => d.FailedAt <= bound).ExecuteDeleteAsync(cancellationToken);
}
