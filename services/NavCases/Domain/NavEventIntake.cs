using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.NavCases.Translation;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.NavCases.Domain;

public static class EventStatus
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

/// <summary>The answer for one event of a batch, in the batch's order.</summary>
public sealed record EventAnswer(int Index, Guid? EventId, string Status, IDictionary<string, string[]>? Errors);

/// <summary>
/// Stores a batch of validated NAV events, keeps the cases up to date and publishes the contracts,
/// all in one transaction. A bad event is answered as rejected and never holds back the good ones.
/// </summary>
public sealed class NavEventIntake(
    NavCasesDbContext db, PersonKeyGenerator keys, PersonIdentifierSealer sealer, UpdateInbox<NavCasesDbContext> inbox, TimeProvider time)
{
    public async Task<IReadOnlyList<EventAnswer>> AcceptAsync(IReadOnlyList<NavEventReader.Result> batch, CancellationToken cancellationToken)
    {
        try
        {
            return await AcceptOnceAsync(batch, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent request stored one of these event ids first: once more, and it is a duplicate.
            db.ChangeTracker.Clear();
            return await AcceptOnceAsync(batch, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<EventAnswer>> AcceptOnceAsync(IReadOnlyList<NavEventReader.Result> batch, CancellationToken cancellationToken)
    {
        var valid = batch.Where(r => r.Event is not null).Select(r => r.Event!).ToList();
        var ids = valid.Select(e => e.EventId).Distinct().ToList();
        var known = (await db.Events.Where(e => ids.Contains(e.EventId)).Select(e => e.EventId).ToListAsync(cancellationToken)).ToHashSet();
        var caseIds = valid.Select(e => e.CaseId).Distinct().ToList();
        var cases = await db.Cases.Where(c => caseIds.Contains(c.CaseId)).ToDictionaryAsync(c => c.CaseId, cancellationToken);
        var now = time.GetUtcNow();

        var answers = new List<EventAnswer>(batch.Count);
        for (var index = 0; index < batch.Count; index++)
        {
            var read = batch[index];
            if (read.Event is not { } ev)
            {
                answers.Add(new EventAnswer(index, read.EventId, EventStatus.Rejected, read.Errors));
                continue;
            }

            if (known.Contains(ev.EventId))
            {
                answers.Add(new EventAnswer(index, ev.EventId, EventStatus.Duplicate, null));
                continue;
            }

            var person = keys.ReferenceFor(ev.Person);
            if (cases.TryGetValue(ev.CaseId, out var existing) && existing.PersonKey != person.PersonKey)
            {
                answers.Add(new EventAnswer(index, ev.EventId, EventStatus.Rejected, new Dictionary<string, string[]>
                {
                    ["caseId"] = ["This case belongs to another person."],
                }));
                continue;
            }

            known.Add(ev.EventId);
            var navCase = existing ?? NewCase(ev, person, cases);
            var previousAdvisor = navCase.Advisor;
            var advisorChanged = Apply(navCase, ev);
            // Staff are to see the person by name: coordination keeps it, sealed.
            if (ev.Name is { } name && ev.Type is NavEventTypes.CaseOpened or NavEventTypes.AdvisorAssigned)
            {
                db.Publish(new PersonIdentified(ev.EventId, person, new PartyReference(PartyKind.Nav, ev.NavOffice), sealer.Seal(ev.Person), sealer.SealName(name), ev.OccurredAt));
            }

            foreach (var message in NavEventTranslator.Translate(ev, person, previousAdvisor, ev.Type == NavEventTypes.CaseOpened ? sealer.Seal(ev.Person) : null))
            {
                // An assignment older than the one the hub has is history, not a new responsible advisor.
                if (message is AdvisorAssigned && !advisorChanged)
                {
                    continue;
                }

                // A new advisor takes over: they get the story so far, so the person need not retell it.
                if (message is AdvisorAssigned { PreviousAdvisor: { } previous } assigned && previous != assigned.Advisor)
                {
                    inbox.AddHandover(person, new PartyReference(PartyKind.Nav, assigned.NavOffice), assigned.Advisor, assigned.OccurredAt);
                }

                db.Publish(message);
            }

            db.Events.Add(new ReceivedNavEvent
            {
                EventId = ev.EventId,
                Type = ev.Type,
                PersonKey = person.PersonKey,
                CaseId = ev.CaseId,
                NavOffice = ev.NavOffice,
                OccurredAt = ev.OccurredAt,
                ReceivedAt = now,
                Detail = Detail(ev),
            });
            answers.Add(new EventAnswer(index, ev.EventId, EventStatus.Accepted, null));
        }

        await db.SaveChangesAsync(cancellationToken);
        return answers;
    }

    private NavCase NewCase(NavEvent ev, PersonReference person, Dictionary<string, NavCase> cases)
    {
        var created = new NavCase { CaseId = ev.CaseId, PersonKey = person.PersonKey, NavOffice = ev.NavOffice };
        db.Cases.Add(created);
        cases[ev.CaseId] = created;
        return created;
    }

    /// <summary>Applies the event to the case; answers whether it made a (new) advisor responsible.</summary>
    private static bool Apply(NavCase navCase, NavEvent ev)
    {
        switch (ev.Type)
        {
            case NavEventTypes.CaseOpened:
                navCase.CaseType = ev.CaseType;
                navCase.OpenedAt = ev.OccurredAt;
                if (navCase.ClosedAt < ev.OccurredAt)
                {
                    navCase.ClosedAt = null;
                    navCase.Outcome = null;
                }

                return Assign(navCase, ev);
            case NavEventTypes.AdvisorAssigned:
                return Assign(navCase, ev);
            case NavEventTypes.CaseClosed:
                if (navCase.OpenedAt is null || navCase.OpenedAt <= ev.OccurredAt)
                {
                    navCase.ClosedAt = ev.OccurredAt;
                    navCase.Outcome = ev.Outcome;
                }

                return false;
            default:
                return false;
        }
    }

    private static bool Assign(NavCase navCase, NavEvent ev)
    {
        if (navCase.AdvisorSince > ev.OccurredAt)
        {
            return false;
        }

        navCase.Advisor = ev.Advisor;
        navCase.AdvisorSince = ev.OccurredAt;
        navCase.NavOffice = ev.NavOffice;
        return true;
    }

    private static string? Detail(NavEvent ev) => ev.Type switch
    {
        NavEventTypes.CaseOpened => ev.CaseType,
        NavEventTypes.CaseClosed => ev.Outcome,
        NavEventTypes.AdvisorAssigned => ev.Advisor,
        NavEventTypes.MessageSent => $"{ev.MessageId} ({ev.Channel})",
        NavEventTypes.MessageRead or NavEventTypes.MessageAnswered => ev.MessageId,
        NavEventTypes.MeetingScheduled => $"{ev.MeetingId} ({ev.MeetingForm}, {ev.MeetingAt:yyyy-MM-dd HH:mm zzz})",
        NavEventTypes.MeetingAttended or NavEventTypes.MeetingMissed => ev.MeetingId,
        NavEventTypes.EmploymentStatusCardMissed => $"{ev.PeriodStart:yyyy-MM-dd}/{ev.PeriodEnd:yyyy-MM-dd}",
        NavEventTypes.ContactRegistered => $"{ev.Channel}, {ev.Direction}, {(ev.Succeeded == true ? "succeeded" : "failed")}",
        _ => null,
    };
}
