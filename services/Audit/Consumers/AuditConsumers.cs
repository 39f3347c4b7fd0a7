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
            },
            context.CancellationToken);
    }
}

/// <summary>
/// Reads and disclosures share one endpoint that takes one message at a time: each append reads
/// the chain's tail. (Were two to race, the sequence key would refuse the second and it would retry.)
/// </summary>
public sealed class PersonDataAccessedConsumerDefinition : ConsumerDefinition<PersonDataAccessedConsumer>
{
    public PersonDataAccessedConsumerDefinition() => Endpoint(AuditEndpoint.Configure);
}

internal static class AuditEndpoint
{
    public const string Name = "audit-log";

    public static void Configure(IEndpointRegistrationConfigurator endpoint)
    {
        endpoint.Name = Name;
        endpoint.ConcurrentMessageLimit = 1;
    }
}

/// <summary>Every routing decision, delivered or withheld, joins the same chain as the reads.</summary>
public sealed class DisclosureRecordedConsumer(AuditDbContext db, AuditChain chain, TimeProvider time)
    : IdempotentConsumer<DisclosureRecorded, AuditDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<DisclosureRecorded> context)
    {
        var disclosure = context.Message;
        return chain.AppendAsync(
            new AuditEntry
            {
                EntryId = disclosure.DisclosureId,
                Kind = $"disclosure-{disclosure.Outcome}",
                PersonKey = disclosure.Person.PersonKey,
                ActorUserId = "routing",
                ActorRole = "system",
                ActorParty = $"{disclosure.Recipient.Kind}:{disclosure.Recipient.Id}",
                Resource = disclosure.Category,
                Purpose = disclosure.BasisOrReason,
                Granted = disclosure.Outcome == "delivered",
                OccurredAt = disclosure.DecidedAt,
            },
            context.CancellationToken);
    }
}

public sealed class DisclosureRecordedConsumerDefinition : ConsumerDefinition<DisclosureRecordedConsumer>
{
    public DisclosureRecordedConsumerDefinition() => Endpoint(AuditEndpoint.Configure);
}
