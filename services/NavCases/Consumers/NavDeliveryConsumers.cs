using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Consumers;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.NavCases.Translation;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.NavCases.Consumers;

/// <summary>Updates routed to NAV: into the office's inbox, and on to NAV's webhook.</summary>
public sealed class NavDeliverUpdateConsumer(NavCasesDbContext db, TimeProvider time, UpdateInbox<NavCasesDbContext> inbox)
    : DeliverUpdateConsumer<NavCasesDbContext>(db, time, inbox);

public sealed class NavDeliverUpdateConsumerDefinition : ConsumerDefinition<NavDeliverUpdateConsumer>
{
    public NavDeliverUpdateConsumerDefinition() => EndpointName = DeliveryQueues.Nav;
}

public sealed class NavRetractUpdatesConsumer(NavCasesDbContext db, TimeProvider time, UpdateInbox<NavCasesDbContext> inbox)
    : RetractUpdatesConsumer<NavCasesDbContext>(db, time, inbox);

/// <summary>On the delivery queue: a retraction takes the path of the updates it takes back.</summary>
public sealed class NavRetractUpdatesConsumerDefinition : ConsumerDefinition<NavRetractUpdatesConsumer>
{
    public NavRetractUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Nav;
}

public sealed class NavCorrectUpdatesConsumer(NavCasesDbContext db, TimeProvider time, UpdateInbox<NavCasesDbContext> inbox)
    : CorrectUpdatesConsumer<NavCasesDbContext>(db, time, inbox);

public sealed class NavCorrectUpdatesConsumerDefinition : ConsumerDefinition<NavCorrectUpdatesConsumer>
{
    public NavCorrectUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Nav;
}

/// <summary>An access request: NAV's cases, the events NAV sent about the person, and the updates NAV's offices got.</summary>
public sealed class NavAccessRequestedConsumer(NavCasesDbContext db, TimeProvider time, PersonIdentifierSealer sealer)
    : IdempotentConsumer<AccessRequested, NavCasesDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<AccessRequested> context)
    {
        var personKey = context.Message.Person.PersonKey;
        var cases = await Db.Cases.AsNoTracking().Where(c => c.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var events = await Db.Events.AsNoTracking().Where(e => e.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var records = cases.OrderBy(c => c.OpenedAt).Select(c => new HeldRecord(
                $"Sak {c.CaseId} hos {UnitNames.Of(PartyKind.Nav, c.NavOffice)}",
                c.OpenedAt,
                HeldFacts.Of(
                    ("Sakstype", c.CaseType),
                    ("Åpnet", HeldFacts.Time(c.OpenedAt)),
                    ("Avsluttet", HeldFacts.Time(c.ClosedAt)),
                    ("Utfall", c.Outcome),
                    ("Veileder (NAV-ident)", c.Advisor))))
            .Concat(events.OrderBy(e => e.OccurredAt).Select(e => new HeldRecord(
                $"Fra NAV: {NavEventTypes.Words.GetValueOrDefault(e.Type, e.Type)}",
                e.OccurredAt,
                HeldFacts.Of(("Sak", e.CaseId), ("NAV-kontor", e.NavOffice), ("Mottatt", HeldFacts.Time(e.ReceivedAt)), ("Detaljer", e.Detail)))))
            .Concat(await DeliveredUpdateRecords.CompileAsync(Db, personKey, context.CancellationToken))
            .ToList();
        var held = new HeldRecords("nav-cases", "NAV: saker og oppdateringer", "Saker NAV har meldt til navet, og det NAV-kontorene har fått fra navet.", records);
        Db.Publish(new PersonRecordsCompiled(context.Message.RequestId, context.Message.Person, held.Module, sealer.SealRecords(held), Time.GetUtcNow()));
    }
}

/// <summary>The person's retention period is over: NAV's cases and events about them, and the updates NAV's offices got, go.</summary>
public sealed class NavRetentionConsumer(NavCasesDbContext db, TimeProvider time)
    : IdempotentConsumer<PersonDataExpired, NavCasesDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PersonDataExpired> context)
    {
        var personKey = context.Message.Person.PersonKey;
        Db.Cases.RemoveRange(await Db.Cases.Where(c => c.PersonKey == personKey).ToListAsync(context.CancellationToken));
        Db.Events.RemoveRange(await Db.Events.Where(e => e.PersonKey == personKey).ToListAsync(context.CancellationToken));
        await DeliveredUpdateRetention.DeleteAsync(Db, personKey, context.CancellationToken);
    }
}
