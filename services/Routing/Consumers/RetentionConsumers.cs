using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Routing.Domain;
using IntegrationHub.Routing.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Consumers;

/// <summary>
/// The retention period after the person's follow-up ended has passed, and nobody follows them again:
/// routing deletes the consents and what is left of the care team, keeps the disclosure log (it has a
/// period of its own), and tells every module to delete what it holds. A durable timer, so on
/// PostgreSQL one instance fires it (the person's outbox partition is leased to one).
/// </summary>
public sealed class RetentionDueConsumer(RoutingDbContext db, TimeProvider time)
    : IdempotentConsumer<RetentionDue, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<RetentionDue> context)
    {
        var personKey = context.Message.PersonKey;
        var team = await Db.CareTeam.Where(m => m.PersonKey == personKey).ToListAsync(context.CancellationToken);
        if (team.Any(m => m.Kind is PartyKind.Nav or PartyKind.Municipality))
        {
            return;
        }

        Db.CareTeam.RemoveRange(team);
        Db.Consents.RemoveRange(await Db.Consents.Where(c => c.PersonKey == personKey).ToListAsync(context.CancellationToken));
        Db.Publish(new PersonDataExpired(NewId.NextGuid(), new PersonReference(personKey), context.Message.FollowUpEndedAt, Time.GetUtcNow()));
    }
}
