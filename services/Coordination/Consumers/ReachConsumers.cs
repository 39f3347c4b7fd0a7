using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Krr;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persons;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Coordination.Consumers;

// Names start with "Reach" so their queues never collide with routing's consumers of the same messages.

/// <summary>
/// What routing allowed the coordinators (legal-basis table, task necessity): engagement signals,
/// kept for the rules, and contact attempts; a contact resets the follow-up clock. Coordination
/// takes signals only from here, never straight from the bus.
/// </summary>
public sealed class ReachDeliveryConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<DeliverToCoordination, CoordinationDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<DeliverToCoordination> context) =>
        context.Message switch
        {
            { Signal: { } signal } => KeepSignalAsync(signal, context.CancellationToken),
            { Attempt: { } attempt } => KeepAttemptAsync(attempt, context.CancellationToken),
            _ => Task.CompletedTask,
        };

    private async Task KeepSignalAsync(EngagementSignalObserved signal, CancellationToken cancellationToken)
    {
        var profile = await review.ProfileAsync(signal.Person.PersonKey, signal.OccurredAt, cancellationToken);
        if (!await Db.Signals.AnyAsync(s => s.Id == signal.SignalId, cancellationToken))
        {
            Db.Signals.Add(new ObservedSignal
            {
                Id = signal.SignalId,
                PersonKey = signal.Person.PersonKey,
                Signal = signal.Signal,
                SourceKind = signal.Source.Kind,
                SourceId = signal.Source.Id,
                OccurredAt = signal.OccurredAt,
                ReceivedAt = Time.GetUtcNow(),
                Reference = signal.Reference,
                Channel = signal.Channel,
            });
        }

        if (ReachRules.ContactSignals.Contains(signal.Signal))
        {
            ReachReview.ContactMade(profile, signal.OccurredAt);
        }

        await review.ReviewAsync(profile, cancellationToken);
    }

    private async Task KeepAttemptAsync(ContactAttempted attempt, CancellationToken cancellationToken)
    {
        var profile = await review.ProfileAsync(attempt.Person.PersonKey, attempt.OccurredAt, cancellationToken);
        if (attempt.Source.Kind == PartyKind.Municipality)
        {
            profile.Municipality ??= attempt.Source.Id;
        }

        if (attempt.Reached)
        {
            ReachReview.ContactMade(profile, attempt.OccurredAt);
        }

        await review.ReviewAsync(profile, cancellationToken);
    }
}

/// <summary>On a delivery queue of its own.</summary>
public sealed class ReachDeliveryConsumerDefinition : ConsumerDefinition<ReachDeliveryConsumer>
{
    public ReachDeliveryConsumerDefinition() => EndpointName = DeliveryQueues.Coordination;
}

/// <summary>A NAV case opens: follow-up starts, and KRR is asked at once.</summary>
public sealed class ReachCaseOpenedConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<WorkAssessmentCaseOpened, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<WorkAssessmentCaseOpened> context)
    {
        var opened = context.Message;
        var profile = await review.ProfileAsync(opened.Person.PersonKey, opened.OccurredAt, context.CancellationToken);
        profile.NavOffice = opened.NavOffice;
        profile.Advisor ??= opened.Advisor;
        if (profile.CaseClosedAt < opened.OccurredAt)
        {
            profile.CaseClosedAt = null;
        }

        if (opened.SealedIdentifier is { } sealedIdentifier)
        {
            await KrrLookupConsumer.StartLookingUpAsync(Db, profile, sealedIdentifier, Time.GetUtcNow(), context.CancellationToken);
        }

        await review.ReviewAsync(profile, context.CancellationToken);
    }
}

public sealed class ReachCaseClosedConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<WorkAssessmentCaseClosed, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<WorkAssessmentCaseClosed> context)
    {
        var closed = context.Message;
        var profile = await review.ProfileAsync(closed.Person.PersonKey, closed.OccurredAt, context.CancellationToken);
        profile.CaseClosedAt = closed.OccurredAt;
        await review.ReviewAsync(profile, context.CancellationToken);
    }
}

/// <summary>A new advisor: a risk signal, since people fall out of follow-up between advisors.</summary>
public sealed class ReachAdvisorAssignedConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<AdvisorAssigned, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<AdvisorAssigned> context)
    {
        var assigned = context.Message;
        var profile = await review.ProfileAsync(assigned.Person.PersonKey, assigned.OccurredAt, context.CancellationToken);
        profile.NavOffice = assigned.NavOffice;
        var changed = assigned.PreviousAdvisor is { } previous ? previous != assigned.Advisor : profile.Advisor is not null && profile.Advisor != assigned.Advisor;
        profile.Advisor = assigned.Advisor;
        if (changed && (profile.AdvisorChangedAt is null || assigned.OccurredAt > profile.AdvisorChangedAt))
        {
            profile.AdvisorChangedAt = assigned.OccurredAt;
        }

        await review.ReviewAsync(profile, context.CancellationToken);
    }
}

public sealed class ReachFollowUpStartedConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<MunicipalFollowUpStarted, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<MunicipalFollowUpStarted> context)
    {
        var started = context.Message;
        var profile = await review.ProfileAsync(started.Person.PersonKey, started.OccurredAt, context.CancellationToken);
        // The first municipality to follow the person is theirs: a second one joining never moves them.
        profile.Municipality ??= started.Municipality;
        var contact = await Db.MunicipalContacts.SingleOrDefaultAsync(c => c.PersonKey == started.Person.PersonKey && c.Municipality == started.Municipality, context.CancellationToken);
        if (contact is null)
        {
            Db.MunicipalContacts.Add(new MunicipalContact
            {
                PersonKey = started.Person.PersonKey, Municipality = started.Municipality, Service = started.Service, Caseworker = started.Caseworker, Since = started.OccurredAt,
            });
        }
        else if (started.OccurredAt >= contact.Since)
        {
            contact.Service = started.Service;
            contact.Caseworker = started.Caseworker;
        }

        // Messages from before the identifier travelled with the event find it among the people coordination has heard of.
        var sealedIdentifier = started.SealedIdentifier
            ?? (await Db.People.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == profile.PersonKey, context.CancellationToken))?.SealedIdentifier;
        if (profile.SealedIdentifier is null && sealedIdentifier is not null)
        {
            await KrrLookupConsumer.StartLookingUpAsync(Db, profile, sealedIdentifier, Time.GetUtcNow(), context.CancellationToken);
        }

        await review.ReviewAsync(profile, context.CancellationToken);
    }
}

/// <summary>The person's municipality ended its follow-up; another municipality's ending changes nothing here.</summary>
public sealed class ReachFollowUpEndedConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<MunicipalFollowUpEnded, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<MunicipalFollowUpEnded> context)
    {
        var ended = context.Message;
        var profile = await review.ProfileAsync(ended.Person.PersonKey, ended.OccurredAt, context.CancellationToken);
        if (profile.Municipality == ended.Municipality)
        {
            profile.Municipality = null;
        }

        await Db.MunicipalContacts.Where(c => c.PersonKey == ended.Person.PersonKey && c.Municipality == ended.Municipality)
            .ForEachAsync(c => Db.MunicipalContacts.Remove(c), context.CancellationToken);

        await review.ReviewAsync(profile, context.CancellationToken);
    }
}

/// <summary>
/// A party said who the person is: their name (the best source wins) and identifier are kept, and a
/// person followed without an identifier so far is now looked up in KRR. Hearing of a person this
/// way is not following them: no reach profile is made for it.
/// </summary>
public sealed class ReachPersonIdentifiedConsumer(CoordinationDbContext db, TimeProvider time, PersonDirectory directory)
    : IdempotentConsumer<PersonIdentified, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PersonIdentified> context)
    {
        var identified = context.Message;
        var personKey = identified.Person.PersonKey;
        var details = await Db.People.SingleOrDefaultAsync(p => p.PersonKey == personKey, context.CancellationToken);
        if (details is null)
        {
            Db.People.Add(details = new PersonDetails { PersonKey = personKey, SealedIdentifier = identified.SealedIdentifier });
        }

        directory.Take(details, identified);
        var profile = await Db.Profiles.SingleOrDefaultAsync(p => p.PersonKey == personKey, context.CancellationToken);
        if (profile is { SealedIdentifier: null })
        {
            await KrrLookupConsumer.StartLookingUpAsync(Db, profile, identified.SealedIdentifier, Time.GetUtcNow(), context.CancellationToken);
        }
    }
}

/// <summary>A deadline of the rules has passed: run them again.</summary>
public sealed class ReachReviewDueConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review)
    : IdempotentConsumer<ReachReviewDue, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<ReachReviewDue> context)
    {
        var profile = await Db.Profiles.SingleOrDefaultAsync(p => p.PersonKey == context.Message.PersonKey, context.CancellationToken);
        if (profile is not null)
        {
            await review.ReviewAsync(profile, context.CancellationToken);
        }
    }
}

/// <summary>Nobody acknowledged the escalation in time: raise it again, one level up.</summary>
public sealed class EscalationAcknowledgementDueConsumer(CoordinationDbContext db, TimeProvider time, ReachReview review, Microsoft.Extensions.Options.IOptions<EscalationOptions> options)
    : IdempotentConsumer<EscalationAcknowledgementDue, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<EscalationAcknowledgementDue> context)
    {
        var due = context.Message;
        var escalation = await Db.Escalations.SingleOrDefaultAsync(e => e.Id == due.EscalationId, context.CancellationToken);
        if (escalation is not { State: EscalationState.Raised } || escalation.Level != due.Level || escalation.Level >= options.Value.MaxLevel)
        {
            return;
        }

        var now = Time.GetUtcNow();
        escalation.Level++;
        escalation.LastRaisedAt = now;
        var reasons = System.Text.Json.JsonSerializer.Deserialize<List<ReachReason>>(escalation.Reasons, ReachReview.Json) ?? [];
        await review.RaiseAsync(escalation, reasons.Select(r => r.Code).Distinct().ToList(), now, context.CancellationToken);
    }
}

/// <summary>Asks KRR about the person, then sets the next lookup: weekly, or soon again when KRR could not be asked.</summary>
public sealed partial class KrrLookupConsumer(
    CoordinationDbContext db, TimeProvider time, ReachReview review, PersonIdentifierSealer sealer, PersonDirectory directory, KrrClient krr, KrrOptions options, ILogger<KrrLookupConsumer> logger)
    : IdempotentConsumer<KrrLookupDue, CoordinationDbContext>(db, time)
{
    public static string TimerKey(string personKey) => $"krr-lookup:{personKey}";

    /// <summary>Keeps the identifier for the look-ups and asks KRR at once; the weekly look-ups follow from there.</summary>
    public static async Task StartLookingUpAsync(CoordinationDbContext db, ReachProfile profile, string sealedIdentifier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        profile.SealedIdentifier = sealedIdentifier;
        await db.ScheduleAsync(new KrrLookupDue(profile.PersonKey), now, TimerKey(profile.PersonKey), cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeContext<KrrLookupDue> context)
    {
        var profile = await Db.Profiles.SingleOrDefaultAsync(p => p.PersonKey == context.Message.PersonKey, context.CancellationToken);
        if (profile is null || options.Endpoint is null || sealer.Open(profile.SealedIdentifier) is not { } identifier)
        {
            return;
        }

        var answer = await krr.LookUpAsync(identifier, context.CancellationToken);
        var now = Time.GetUtcNow();
        profile.Krr = answer.Status;
        profile.KrrCheckedAt = now;
        if (answer.Reached)
        {
            directory.KeepContact(profile, answer.Contact);
        }
        else
        {
            LogLookupFailed(logger, answer.Problem!, options.RetryAfter);
        }

        await Db.ScheduleAsync(
            new KrrLookupDue(profile.PersonKey), now + (answer.Reached ? options.LookUpAgainAfter : options.RetryAfter), TimerKey(profile.PersonKey), context.CancellationToken);
        await review.ReviewAsync(profile, context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KRR lookup failed ({Problem}); the person counts as cannot-be-notified, and KRR is asked again in {RetryAfter}")]
    private static partial void LogLookupFailed(ILogger logger, string problem, TimeSpan retryAfter);
}
