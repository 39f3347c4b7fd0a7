using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Consumers;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.MunicipalFollowUp.Translation;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.MunicipalFollowUp.Consumers;

/// <summary>Updates routed to a municipality: into its inbox, and on to its webhook.</summary>
public sealed class MunicipalDeliverUpdateConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : DeliverUpdateConsumer<MunicipalDbContext>(db, time, inbox);

public sealed class MunicipalDeliverUpdateConsumerDefinition : ConsumerDefinition<MunicipalDeliverUpdateConsumer>
{
    public MunicipalDeliverUpdateConsumerDefinition() => EndpointName = DeliveryQueues.Municipality;
}

public sealed class MunicipalRetractUpdatesConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : RetractUpdatesConsumer<MunicipalDbContext>(db, time, inbox);

/// <summary>On the delivery queue: a retraction takes the path of the updates it takes back.</summary>
public sealed class MunicipalRetractUpdatesConsumerDefinition : ConsumerDefinition<MunicipalRetractUpdatesConsumer>
{
    public MunicipalRetractUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Municipality;
}

public sealed class MunicipalCorrectUpdatesConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : CorrectUpdatesConsumer<MunicipalDbContext>(db, time, inbox);

public sealed class MunicipalCorrectUpdatesConsumerDefinition : ConsumerDefinition<MunicipalCorrectUpdatesConsumer>
{
    public MunicipalCorrectUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Municipality;
}

/// <summary>An access request: the municipalities' notes about the person, which services follow them, and the updates caseworkers got.</summary>
public sealed class MunicipalAccessRequestedConsumer(MunicipalDbContext db, TimeProvider time, PersonIdentifierSealer sealer)
    : IdempotentConsumer<AccessRequested, MunicipalDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<AccessRequested> context)
    {
        var personKey = context.Message.Person.PersonKey;
        var followed = await Db.FollowedPersons.AsNoTracking().Where(f => f.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var notes = await Db.Notes.AsNoTracking().Where(n => n.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var records = followed.OrderBy(f => f.Since).Select(f => new HeldRecord(
                $"Følges opp av {UnitNames.Of(PartyKind.Municipality, f.Municipality)}",
                f.Since,
                HeldFacts.Of(("Tjeneste", MunicipalVocabulary.Services.GetValueOrDefault(f.Service, f.Service)), ("Saksbehandler", f.Caseworker), ("Fra", HeldFacts.Time(f.Since)))))
            .Concat(notes.OrderBy(n => n.RecordedAt).Select(n => new HeldRecord(
                $"Notat fra {UnitNames.Of(PartyKind.Municipality, n.Municipality)}",
                n.RecordedAt,
                HeldFacts.Of(
                    ("Tjeneste", MunicipalVocabulary.Services.GetValueOrDefault(n.Service, n.Service)),
                    ("Kontakt", $"{MunicipalVocabulary.Outcomes.GetValueOrDefault(n.Outcome, n.Outcome)} ({MunicipalVocabulary.Channels.GetValueOrDefault(n.Channel, n.Channel)})"),
                    ("Signaler", n.Signals.Replace(",", ", ", StringComparison.Ordinal)),
                    ("Tekst", n.Text),
                    ("Saksbehandler", n.Caseworker)))))
            .Concat(await DeliveredUpdateRecords.CompileAsync(Db, personKey, context.CancellationToken))
            .ToList();
        var held = new HeldRecords("municipal-follow-up", "Kommunen: oppfølging og notater", "Hvilke kommunale tjenester som følger deg opp, notatene de har sendt, og det saksbehandlerne har fått fra navet.", records);
        Db.Publish(new PersonRecordsCompiled(context.Message.RequestId, context.Message.Person, held.Module, sealer.SealRecords(held), Time.GetUtcNow()));
    }
}

/// <summary>The person's retention period is over: the municipalities' notes and registrations, and the updates caseworkers got, go.</summary>
public sealed class MunicipalRetentionConsumer(MunicipalDbContext db, TimeProvider time)
    : IdempotentConsumer<PersonDataExpired, MunicipalDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PersonDataExpired> context)
    {
        var personKey = context.Message.Person.PersonKey;
        Db.Notes.RemoveRange(await Db.Notes.Where(n => n.PersonKey == personKey).ToListAsync(context.CancellationToken));
        Db.FollowedPersons.RemoveRange(await Db.FollowedPersons.Where(f => f.PersonKey == personKey).ToListAsync(context.CancellationToken));
        await DeliveredUpdateRetention.DeleteAsync(Db, personKey, context.CancellationToken);
    }
}
