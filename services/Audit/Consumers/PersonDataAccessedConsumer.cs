using IntegrationHub.Audit.Domain;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Inbox;
using MassTransit;

namespace IntegrationHub.Audit.Consumers;

public sealed class PersonDataAccessedConsumer(AuditDbContext db, AuditChain chain, TimeProvider time)
    : IdempotentConsumer<PersonDataAccessed, AuditDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<PersonDataAccessed> context)
    {
        var access = context.Message;
        return chain.AppendAsync(
            new AuditEntry
            {
                EntryId = access.AccessId,
                Kind = "read",
                PersonKey = access.Person.PersonKey,
                ActorUserId = access.ActorUserId,
                ActorRole = access.ActorRole,
                ActorParty = access.ActorParty,
                Resource = access.Resource,
                Purpose = access.Purpose,
                Granted = access.Granted,
                OccurredAt = access.OccurredAt,
                RecordedAt = Time.GetUtcNow(),
                PreviousHash = string.Empty,
                Hash = string.Empty,
            },
            context.CancellationToken);
    }
}

/// <summary>One at a time: each append reads the chain's tail, and two at once would fork it.</summary>
public sealed class PersonDataAccessedConsumerDefinition : ConsumerDefinition<PersonDataAccessedConsumer>
{
    public PersonDataAccessedConsumerDefinition() => ConcurrentMessageLimit = 1;
}
