using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Routing.Domain;
using IntegrationHub.Routing.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Consumers;

public sealed class ConsentGrantedConsumer(RoutingDbContext db, TimeProvider time) : IdempotentConsumer<ConsentGranted, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<ConsentGranted> context)
    {
        var grant = context.Message;
        var copy = await Db.Consents.SingleOrDefaultAsync(c => c.ConsentId == grant.ConsentId, context.CancellationToken);
        if (copy is null)
        {
            Db.Consents.Add(copy = new ConsentCopy { ConsentId = grant.ConsentId, PersonKey = grant.Person.PersonKey });
        }

        copy.Grant = JsonSerializer.Serialize(grant, UpdateRouter.JsonOptions);
    }
}

/// <summary>May arrive before the grant: the withdrawal is kept and wins when the grant comes.</summary>
public sealed class ConsentWithdrawnConsumer(RoutingDbContext db, TimeProvider time) : IdempotentConsumer<ConsentWithdrawn, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<ConsentWithdrawn> context)
    {
        var withdrawal = context.Message;
        var copy = await Db.Consents.SingleOrDefaultAsync(c => c.ConsentId == withdrawal.ConsentId, context.CancellationToken);
        if (copy is null)
        {
            Db.Consents.Add(copy = new ConsentCopy { ConsentId = withdrawal.ConsentId, PersonKey = withdrawal.Person.PersonKey });
        }

        copy.WithdrawnAt ??= withdrawal.WithdrawnAt;
    }
}

public sealed class AdvisorAssignedConsumer(RoutingDbContext db, TimeProvider time, CareTeam team) : IdempotentConsumer<AdvisorAssigned, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<AdvisorAssigned> context)
    {
        var assigned = context.Message;
        return team.JoinAsync(assigned.Person.PersonKey, PartyKind.Nav, assigned.NavOffice, assigned.Advisor, assigned.OccurredAt, onlyOne: true, context.CancellationToken);
    }
}

public sealed class MunicipalFollowUpStartedConsumer(RoutingDbContext db, TimeProvider time, CareTeam team)
    : IdempotentConsumer<MunicipalFollowUpStarted, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<MunicipalFollowUpStarted> context)
    {
        var started = context.Message;
        return team.JoinAsync(started.Person.PersonKey, PartyKind.Municipality, started.Municipality, started.Caseworker, started.OccurredAt, onlyOne: false, context.CancellationToken);
    }
}

public sealed class MedicalCertificateReceivedConsumer(RoutingDbContext db, TimeProvider time, CareTeam team, UpdateRouter router)
    : IdempotentConsumer<MedicalCertificateReceived, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<MedicalCertificateReceived> context)
    {
        var certificate = context.Message;
        if (certificate.Author.HerId is { } herId)
        {
            await team.JoinAsync(certificate.Person.PersonKey, PartyKind.GeneralPractitioner, herId, certificate.Author.HprNumber, certificate.IssuedAt, onlyOne: false, context.CancellationToken);
        }

        await router.RouteCertificateAsync(context.MessageId!.Value, certificate, context.CancellationToken);
    }
}

/// <summary>An adapter did not deliver categories routing had allowed (a withdrawal overtook them): the log says withheld.</summary>
public sealed class UpdateWithheldAtDeliveryConsumer(RoutingDbContext db, TimeProvider time) : IdempotentConsumer<UpdateWithheldAtDelivery, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<UpdateWithheldAtDelivery> context)
    {
        var withheld = context.Message;
        var categories = withheld.Categories.Select(c => c.Category).ToList();
        var disclosures = await Db.Disclosures
            .Where(d => d.UpdateId == withheld.UpdateId && d.Delivered && categories.Contains(d.Category))
            .ToListAsync(context.CancellationToken);
        foreach (var disclosure in disclosures)
        {
            var reason = withheld.Categories.First(c => c.Category == disclosure.Category).Reason;
            disclosure.Delivered = false;
            disclosure.BasisOrReason = reason;
            disclosure.DecidedAt = withheld.At;
            // A new audit entry of its own: the log keeps both the decision and its correction.
            Db.Publish(new DisclosureRecorded(
                NewId.NextGuid(), disclosure.UpdateId, withheld.Person, withheld.Recipient, disclosure.Category, "withheld", reason, disclosure.ConsentId, withheld.At));
        }
    }
}
