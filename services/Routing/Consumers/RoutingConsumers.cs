using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Routing.Domain;
using IntegrationHub.Routing.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Consumers;

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

/// <summary>The municipality ended its follow-up: it leaves the care team, and nothing more is routed to it.</summary>
public sealed class MunicipalFollowUpEndedConsumer(RoutingDbContext db, TimeProvider time, CareTeam team)
    : IdempotentConsumer<MunicipalFollowUpEnded, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<MunicipalFollowUpEnded> context) =>
        team.LeaveAsync(context.Message.Person.PersonKey, PartyKind.Municipality, context.Message.Municipality, context.CancellationToken);
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

        await router.RouteCertificateAsync(certificate, context.CancellationToken);
        if (certificate.Replaces is { } replaced)
        {
            await router.CorrectAsync(certificate.Person, replaced, CorrectUpdates.Replaced, context.CancellationToken);
        }
    }
}

/// <summary>The GP withdrew a certificate (entered-in-error): it is withdrawn wherever it reached.</summary>
public sealed class MedicalCertificateWithdrawnConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router)
    : IdempotentConsumer<MedicalCertificateWithdrawn, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<MedicalCertificateWithdrawn> context) =>
        router.CorrectAsync(context.Message.Person, context.Message.CertificateId, CorrectUpdates.WithdrawnBySource, context.CancellationToken);
}

/// <summary>An adapter took back what a withdrawal retracted: the disclosure log says so, line by line, and the audit log gets an entry of its own.</summary>
public sealed class UpdatesRetractedConsumer(RoutingDbContext db, TimeProvider time) : IdempotentConsumer<UpdatesRetracted, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<UpdatesRetracted> context)
    {
        var retracted = context.Message;
        var updateIds = retracted.Retracted.Select(r => r.UpdateId).ToList();
        var disclosures = await Db.Disclosures
            .Where(d => updateIds.Contains(d.UpdateId) && d.ConsentId == retracted.ConsentId && d.Delivered && d.RetractedAt == null)
            .ToListAsync(context.CancellationToken);
        foreach (var update in disclosures.GroupBy(d => d.UpdateId))
        {
            var categories = retracted.Retracted.Where(r => r.UpdateId == update.Key).SelectMany(r => r.Categories).ToHashSet(StringComparer.Ordinal);
            var recorded = new List<DisclosureDecision>();
            foreach (var disclosure in update.Where(d => categories.Contains(d.Category)))
            {
                disclosure.RetractedAt = retracted.At;
                recorded.Add(new DisclosureDecision(NewId.NextGuid(), disclosure.Category, "retracted", RetractUpdates.Reason, disclosure.ConsentId));
            }

            if (recorded.Count > 0)
            {
                Db.Publish(new DisclosuresRecorded(update.Key, retracted.Person, retracted.Recipient, recorded, retracted.At));
            }
        }
    }
}

/// <summary>A municipal note: its contact status and its text go to NAV, each only with consent.</summary>
public sealed class FollowUpNoteRecordedConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router)
    : IdempotentConsumer<FollowUpNoteRecorded, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<FollowUpNoteRecorded> context)
    {
        var note = context.Message;
        var full = UpdateRouter.Full(context.MessageId!.Value, note.Person, "municipality", "follow-up-note", note.RecordedAt) with
        {
            Contact = note.Contact,
            FollowUpNote = note.Text,
        };
        return router.RouteAsync(full, PartyKind.Municipality, context.CancellationToken);
    }
}

/// <summary>A NAV case opened: NAV's office joins the care team, and the case status goes to the municipality with consent.</summary>
public sealed class WorkAssessmentCaseOpenedConsumer(RoutingDbContext db, TimeProvider time, CareTeam team, UpdateRouter router)
    : IdempotentConsumer<WorkAssessmentCaseOpened, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<WorkAssessmentCaseOpened> context)
    {
        var opened = context.Message;
        await team.JoinAsync(opened.Person.PersonKey, PartyKind.Nav, opened.NavOffice, opened.Advisor, opened.OccurredAt, onlyOne: true, context.CancellationToken);
        var full = UpdateRouter.Full(context.MessageId!.Value, opened.Person, "nav", "case-opened", opened.OccurredAt) with
        {
            Case = new CaseStatus(opened.CaseId, "opened", opened.CaseType, null, opened.NavOffice),
        };
        await router.RouteAsync(full, PartyKind.Nav, context.CancellationToken);
    }
}

/// <summary>The case closed: the case status goes to the municipality with consent, and NAV's office leaves the care team.</summary>
public sealed class WorkAssessmentCaseClosedConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router, CareTeam team)
    : IdempotentConsumer<WorkAssessmentCaseClosed, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<WorkAssessmentCaseClosed> context)
    {
        var closed = context.Message;
        var full = UpdateRouter.Full(context.MessageId!.Value, closed.Person, "nav", "case-closed", closed.OccurredAt) with
        {
            Case = new CaseStatus(closed.CaseId, "closed", null, closed.Outcome, closed.NavOffice),
        };
        await router.RouteAsync(full, PartyKind.Nav, context.CancellationToken);
        await team.LeaveAsync(closed.Person.PersonKey, PartyKind.Nav, closed.NavOffice, context.CancellationToken);
    }
}

/// <summary>
/// Every engagement signal reaches the coordinators (logged here, task necessity). NAV's contacts
/// and meetings are also contact status for the municipality, with consent.
/// </summary>
public sealed class EngagementSignalConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router)
    : IdempotentConsumer<EngagementSignalObserved, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<EngagementSignalObserved> context)
    {
        var signal = context.Message;
        var source = RoutingPolicy.SourceCode(signal.Source.Kind);
        var category = ContactStatusTexts.IsContactStatus(signal.Signal) ? DataCategory.ContactStatus : DataCategory.ReachSignals;
        await router.RouteToCoordinationAsync(context.MessageId!.Value, signal.Person, source, signal.Signal, category, signal, null, context.CancellationToken);

        if (signal.Source.Kind != PartyKind.Nav || ContactStatusTexts.ForNavSignal(signal.Signal, signal.Channel) is not { } summary)
        {
            return;
        }

        var full = UpdateRouter.Full(context.MessageId!.Value, signal.Person, "nav", signal.Signal, signal.OccurredAt) with
        {
            Contact = new ContactStatus(signal.Signal, signal.Channel, summary),
        };
        await router.RouteAsync(full, PartyKind.Nav, context.CancellationToken);
    }
}

/// <summary>A municipal contact attempt reaches the coordinators as contact status, where the table allows it.</summary>
public sealed class ContactAttemptedConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router)
    : IdempotentConsumer<ContactAttempted, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<ContactAttempted> context)
    {
        var attempt = context.Message;
        return router.RouteToCoordinationAsync(
            context.MessageId!.Value, attempt.Person, RoutingPolicy.SourceCode(attempt.Source.Kind), "contact-attempt", DataCategory.ContactStatus, null, attempt, context.CancellationToken);
    }
}

/// <summary>An escalation is news for the person's NAV advisor and caseworker, as contact status (task necessity). Raised again at a higher level is the coordinators' own business.</summary>
public sealed class EscalationRaisedConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router)
    : IdempotentConsumer<EscalationRaised, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<EscalationRaised> context)
    {
        var raised = context.Message;
        if (raised.Level != 1)
        {
            return Task.CompletedTask;
        }

        var full = UpdateRouter.Full(context.MessageId!.Value, raised.Person, "coordination", "escalation-raised", raised.RaisedAt) with
        {
            Contact = new ContactStatus("escalation-raised", null, raised.Summary),
        };
        return router.RouteAsync(full, PartyKind.Coordination, context.CancellationToken);
    }
}

public sealed class EscalationResolvedConsumer(RoutingDbContext db, TimeProvider time, UpdateRouter router)
    : IdempotentConsumer<EscalationResolved, RoutingDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<EscalationResolved> context)
    {
        var resolved = context.Message;
        var full = UpdateRouter.Full(context.MessageId!.Value, resolved.Person, "coordination", "escalation-resolved", resolved.ResolvedAt) with
        {
            Contact = new ContactStatus($"escalation-{resolved.Resolution}", resolved.Channel, resolved.Summary),
        };
        return router.RouteAsync(full, PartyKind.Coordination, context.CancellationToken);
    }
}
