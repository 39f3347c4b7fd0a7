using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Endpoints;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persons;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Coordination.Consumers;

/// <summary>An access request: what coordination holds (name, reach, channels, KRR, signals, escalations and contact attempts), as its part of the answer.</summary>
public sealed class ReachAccessRequestedConsumer(CoordinationDbContext db, TimeProvider time, PersonDirectory directory, PersonIdentifierSealer sealer)
    : IdempotentConsumer<AccessRequested, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<AccessRequested> context)
    {
        var personKey = context.Message.Person.PersonKey;
        var cancellationToken = context.CancellationToken;
        var details = await Db.People.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var profile = await Db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var signals = await Db.Signals.AsNoTracking().Where(s => s.PersonKey == personKey).ToListAsync(cancellationToken);
        var escalations = await Db.Escalations.AsNoTracking().Where(e => e.PersonKey == personKey).ToListAsync(cancellationToken);
        var escalationIds = escalations.Select(e => e.Id).ToList();
        var attempts = await Db.ContactAttempts.AsNoTracking().Where(a => escalationIds.Contains(a.EscalationId)).ToListAsync(cancellationToken);
        var municipal = await ReachEndpoints.MunicipalOfAsync(Db, personKey, cancellationToken);

        var records = new List<HeldRecord>();
        var name = directory.NameOf(details);
        records.Add(new HeldRecord("Hvem du er", details?.NameGivenAt, HeldFacts.Of(
            ("Navn", name?.Full),
            ("Navnet kom fra", details?.NameSource switch
            {
                PartyKind.Nav => "NAV, fra Folkeregisteret",
                PartyKind.Municipality => "kommunen",
                PartyKind.GeneralPractitioner => "fastlegen",
                _ => null,
            }),
            ("Fødselsdato", directory.BirthDateOf(details?.SealedIdentifier ?? profile?.SealedIdentifier) is { } born ? HeldFacts.Date(born) : null))));
        if (profile is not null)
        {
            var reach = PersonDetailsEndpoints.HowToReachOf(profile, municipal, directory);
            var channels = ReachEndpoints.ChannelsOf(profile);
            records.Add(new HeldRecord("Hvordan du nås", profile.AssessedAt, HeldFacts.Of(
                ("Status", profile.Status switch
                {
                    ReachStatus.Reachable => "nås digitalt",
                    ReachStatus.AtRisk => "kan være i ferd med å falle ut av digital oppfølging",
                    _ => "nås ikke digitalt; en person følger deg opp",
                }),
                ("Hvorfor", string.Join("; ", ReachEndpoints.ReasonsOf(profile.Reasons).Select(r => r.Text))),
                ("Kanaler du har avtalt", string.Join(", ", channels.Usable.Select(c => FollowUpVocabulary.ProfileChannels.GetValueOrDefault(c, c)))),
                ("Foretrukket kanal", channels.Preferred is { } preferred ? FollowUpVocabulary.ProfileChannels.GetValueOrDefault(preferred, preferred) : null),
                ("Avtalt av", channels.AgreedBy),
                ("Kontakt- og reservasjonsregisteret", profile.Krr switch
                {
                    KrrStatus.Normal => "kan varsles digitalt",
                    KrrStatus.Reserved => "reservert mot digital kontakt",
                    KrrStatus.CannotBeNotified => "kan ikke varsles digitalt",
                    _ => "ikke sjekket",
                } + (profile.KrrCheckedAt is { } checkedAt ? $", sjekket {HeldFacts.Time(checkedAt)}" : "")),
                ("Mobil fra registeret", reach.Mobile),
                ("E-post fra registeret", reach.Email),
                ("Siste kontakt", HeldFacts.Time(profile.LastContactAt)),
                ("Følges opp av", string.Join("; ", ReachEndpoints.CareTeamOf(profile, municipal).Select(m => $"{m.Role}, {m.Office}"))))));
        }

        records.AddRange(signals.OrderBy(s => s.OccurredAt).Select(s => new HeldRecord(
            $"Opplysning om kontakt: {ReachRules.SignalText(s.Signal)}", s.OccurredAt, HeldFacts.Of(("Fra", UnitNames.Of(s.SourceKind, s.SourceId)), ("Kanal", s.Channel)))));
        foreach (var escalation in escalations.OrderBy(e => e.RaisedAt))
        {
            records.Add(new HeldRecord("Sendt til en koordinator for oppfølging", escalation.RaisedAt, HeldFacts.Of(
                ("Hvorfor", string.Join("; ", ReachEndpoints.ReasonsOf(escalation.Reasons).Select(r => r.Text))),
                ("Tatt av", escalation.AcknowledgedBy),
                ("Avsluttet", HeldFacts.Time(escalation.ResolvedAt)),
                ("Utfall", escalation.Resolution is { } resolution ? FollowUpVocabulary.Resolutions.GetValueOrDefault(resolution, resolution) : null),
                ("Notat", escalation.ResolutionNote))));
            records.AddRange(attempts.Where(a => a.EscalationId == escalation.Id).OrderBy(a => a.At).Select(a => new HeldRecord(
                "Forsøk på å nå deg", a.At, HeldFacts.Of(
                    ("Hvordan", FollowUpVocabulary.AttemptChannels.GetValueOrDefault(a.Channel, a.Channel)),
                    ("Resultat", FollowUpVocabulary.AttemptOutcomes.GetValueOrDefault(a.Outcome, a.Outcome)),
                    ("Notat", a.Note),
                    ("Registrert av", a.RecordedBy)))));
        }

        var held = new HeldRecords("coordination", "Koordinering: hvordan du nås", "Navnet ditt, hvordan du kan nås, og oppfølgingen fra koordinatorer.", records);
        Db.Publish(new PersonRecordsCompiled(context.Message.RequestId, context.Message.Person, held.Module, sealer.SealRecords(held), Time.GetUtcNow()));
    }
}

/// <summary>One module's part of an access request's answer: kept until the whole answer is handed over.</summary>
public sealed class AccessReportSectionConsumer(CoordinationDbContext db, TimeProvider time)
    : IdempotentConsumer<PersonRecordsCompiled, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PersonRecordsCompiled> context)
    {
        var compiled = context.Message;
        var known = await Db.AccessReportSections.AnyAsync(s => s.RequestId == compiled.RequestId && s.Module == compiled.Module, context.CancellationToken);
        if (!known)
        {
            Db.AccessReportSections.Add(new AccessReportSection
            {
                RequestId = compiled.RequestId, Module = compiled.Module, SealedRecords = compiled.SealedRecords, CompiledAt = compiled.CompiledAt,
            });
        }
    }
}

/// <summary>
/// The person's retention period is over: who they are, how they are reached, their signals,
/// escalations, rights requests and the timers about them go.
/// </summary>
public sealed class ReachRetentionConsumer(CoordinationDbContext db, TimeProvider time)
    : IdempotentConsumer<PersonDataExpired, CoordinationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PersonDataExpired> context)
    {
        var personKey = context.Message.Person.PersonKey;
        var cancellationToken = context.CancellationToken;
        var escalations = await Db.Escalations.Where(e => e.PersonKey == personKey).ToListAsync(cancellationToken);
        var escalationIds = escalations.Select(e => e.Id).ToList();
        var accessRequests = await Db.AccessRequests.Where(r => r.PersonKey == personKey).ToListAsync(cancellationToken);
        var accessIds = accessRequests.Select(r => r.Id).ToList();
        var changeRequests = await Db.ChangeRequests.Where(r => r.PersonKey == personKey).ToListAsync(cancellationToken);
        foreach (var id in escalationIds)
        {
            await Db.CancelTimerAsync(ReachReview.AcknowledgementTimerKey(id), cancellationToken);
        }

        foreach (var id in accessIds.Concat(changeRequests.Select(r => r.Id)))
        {
            await Db.CancelTimerAsync(AccessRequests.TimerKey(id), cancellationToken);
        }

        await Db.CancelTimerAsync(KrrLookupConsumer.TimerKey(personKey), cancellationToken);
        await Db.CancelTimerAsync(ReachReview.ReviewTimerKey(personKey), cancellationToken);
        Db.ContactAttempts.RemoveRange(await Db.ContactAttempts.Where(a => escalationIds.Contains(a.EscalationId)).ToListAsync(cancellationToken));
        Db.Escalations.RemoveRange(escalations);
        Db.AccessReportSections.RemoveRange(await Db.AccessReportSections.Where(s => accessIds.Contains(s.RequestId)).ToListAsync(cancellationToken));
        Db.AccessRequests.RemoveRange(accessRequests);
        Db.ChangeRequests.RemoveRange(changeRequests);
        Db.Signals.RemoveRange(await Db.Signals.Where(s => s.PersonKey == personKey).ToListAsync(cancellationToken));
        Db.MunicipalContacts.RemoveRange(await Db.MunicipalContacts.Where(c => c.PersonKey == personKey).ToListAsync(cancellationToken));
        Db.People.RemoveRange(await Db.People.Where(p => p.PersonKey == personKey).ToListAsync(cancellationToken));
        Db.Profiles.RemoveRange(await Db.Profiles.Where(p => p.PersonKey == personKey).ToListAsync(cancellationToken));
    }
}
