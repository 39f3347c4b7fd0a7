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

/// <summary>Every routing decision, delivered or withheld: one entry per category, appended in one transaction.</summary>
public sealed class DisclosuresRecordedConsumer(AuditDbContext db, AuditChain chain, TimeProvider time)
    : IdempotentConsumer<DisclosuresRecorded, AuditDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<DisclosuresRecorded> context)
    {
        var recorded = context.Message;
        return chain.AppendAllAsync(
            recorded.Decisions.Select(d => DisclosureEntry.For(d, recorded.Person, recorded.Recipient, recorded.DecidedAt)).ToList(),
            context.CancellationToken);
    }
}

public sealed class DisclosuresRecordedConsumerDefinition : ConsumerDefinition<DisclosuresRecordedConsumer>
{
    public DisclosuresRecordedConsumerDefinition() => Endpoint(AuditEndpoint.Configure);
}

/// <summary>One routing's decisions for every recipient: one entry per recipient and category, appended in one transaction.</summary>
public sealed class RoutingDecidedConsumer(AuditDbContext db, AuditChain chain, TimeProvider time)
    : IdempotentConsumer<RoutingDecided, AuditDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<RoutingDecided> context)
    {
        var routed = context.Message;
        return chain.AppendAllAsync(
            routed.Recipients.SelectMany(r => r.Decisions.Select(d => DisclosureEntry.For(d, routed.Person, r.Recipient, routed.DecidedAt))).ToList(),
            context.CancellationToken);
    }
}

public sealed class RoutingDecidedConsumerDefinition : ConsumerDefinition<RoutingDecidedConsumer>
{
    public RoutingDecidedConsumerDefinition() => Endpoint(AuditEndpoint.Configure);
}

internal static class DisclosureEntry
{
    public static AuditEntry For(DisclosureDecision decision, PersonReference person, PartyReference recipient, DateTimeOffset decidedAt) => new()
    {
        EntryId = decision.DisclosureId,
        Kind = $"disclosure-{decision.Outcome}",
        PersonKey = person.PersonKey,
        ActorUserId = "routing",
        ActorRole = "system",
        ActorParty = $"{recipient.Kind}:{recipient.Id}",
        Resource = decision.Category,
        Purpose = decision.BasisOrReason,
        Granted = decision.Outcome == "delivered",
        OccurredAt = decidedAt,
    };
}
