using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Coordination.Domain;

/// <summary>
/// Runs the reach rules for a person, keeps the status and its reasons, raises an escalation when
/// a rule says a human must follow up, and sets the durable timer for the next deadline. Works in
/// the caller's transaction.
/// </summary>
public sealed class ReachReview(CoordinationDbContext db, IOptions<ReachOptions> rules, IOptions<EscalationOptions> escalations, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The durable timer of an escalation's acknowledgement deadline.</summary>
    public static string AcknowledgementTimerKey(Guid escalationId) => $"escalation-ack:{escalationId}";

    /// <summary>The durable timer that runs the rules again at the person's next deadline.</summary>
    public static string ReviewTimerKey(string personKey) => $"reach-review:{personKey}";

    /// <summary>The person's profile, created when coordination first hears of them.</summary>
    public async Task<ReachProfile> ProfileAsync(string personKey, DateTimeOffset firstHeardOf, CancellationToken cancellationToken)
    {
        var profile = db.Profiles.Local.FirstOrDefault(p => p.PersonKey == personKey)
            ?? await db.Profiles.SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        if (profile is null)
        {
            profile = new ReachProfile { PersonKey = personKey, FollowedSince = firstHeardOf };
            db.Profiles.Add(profile);
        }
        else if (firstHeardOf < profile.FollowedSince)
        {
            profile.FollowedSince = firstHeardOf;
        }

        return profile;
    }

    public static void ContactMade(ReachProfile profile, DateTimeOffset at)
    {
        if (profile.LastContactAt is null || at > profile.LastContactAt)
        {
            profile.LastContactAt = at;
        }
    }

    public async Task<ReachAssessment> ReviewAsync(ReachProfile profile, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timerKey = ReviewTimerKey(profile.PersonKey);
        if (profile.CaseClosedAt is not null && profile.Municipality is null)
        {
            // Nobody follows the person any more: nothing to escalate to.
            profile.Status = ReachStatus.Reachable;
            profile.Reasons = "[]";
            profile.AssessedAt = now;
            await db.CancelTimerAsync(timerKey, cancellationToken);
            return new ReachAssessment(ReachStatus.Reachable, [], false, null);
        }

        var stored = await db.Signals.AsNoTracking().Where(s => s.PersonKey == profile.PersonKey).ToListAsync(cancellationToken);
        var added = db.Signals.Local.Where(s => s.PersonKey == profile.PersonKey && stored.All(x => x.Id != s.Id));
        var facts = new ReachFacts(
            stored.Concat(added).Select(s => new SignalFact(s.Signal, s.SourceKind, s.OccurredAt, s.Reference)).ToList(),
            profile.LastContactAt,
            profile.FollowedSince,
            profile.AdvisorChangedAt,
            profile.Krr);
        var assessment = ReachRules.Assess(facts, rules.Value, now);
        // KRR's verdict calls for a human at once when it comes; after that the (shorter) follow-up clock governs.
        var becameUnreachable = assessment.Status == ReachStatus.NotReachedDigitally && profile.Status != ReachStatus.NotReachedDigitally;
        profile.Status = assessment.Status;
        profile.Reasons = JsonSerializer.Serialize(assessment.Reasons, Json);
        profile.AssessedAt = now;

        if (becameUnreachable || assessment.Reasons.Any(r => r.Effect == RuleEffect.Escalate))
        {
            await EscalateAsync(profile, assessment, now, cancellationToken);
        }

        if (assessment.NextReviewAt is { } next)
        {
            await db.ScheduleAsync(new ReachReviewDue(profile.PersonKey), next, timerKey, cancellationToken);
        }
        else
        {
            await db.CancelTimerAsync(timerKey, cancellationToken);
        }

        return assessment;
    }

    private async Task EscalateAsync(ReachProfile profile, ReachAssessment assessment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reasons = assessment.Reasons.Where(r => r.Effect is RuleEffect.Escalate or RuleEffect.NotReachedDigitally).Concat(assessment.Reasons).Distinct().ToList();
        var open = await db.Escalations.SingleOrDefaultAsync(e => e.PersonKey == profile.PersonKey && e.State != EscalationState.Resolved, cancellationToken);
        if (open is not null)
        {
            open.Reasons = JsonSerializer.Serialize(reasons, Json);
            return;
        }

        var escalation = new Escalation
        {
            Id = MassTransit.NewId.NextGuid(),
            PersonKey = profile.PersonKey,
            Reasons = JsonSerializer.Serialize(reasons, Json),
            RaisedAt = now,
            LastRaisedAt = now,
        };
        db.Escalations.Add(escalation);
        await RaiseAsync(escalation, reasons.Select(r => r.Code).ToList(), now, cancellationToken);
    }

    /// <summary>Publishes the escalation at its level and sets its acknowledgement deadline.</summary>
    public async Task RaiseAsync(Escalation escalation, IReadOnlyList<string> reasonCodes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The text goes to the NAV advisor and the caseworker as contact status: no reach signals or other details in it.
        db.Publish(new EscalationRaised(
            escalation.Id,
            new PersonReference(escalation.PersonKey),
            escalation.Level,
            reasonCodes,
            $"Brukeren er ikke nådd digitalt, eller ingen har hatt kontakt på lenge. En koordinator følger opp. {NeutralWording.NotGroundsForAction}",
            now));
        await db.ScheduleAsync(
            new EscalationAcknowledgementDue(escalation.Id, escalation.Level),
            now + escalations.Value.AcknowledgeWithin,
            AcknowledgementTimerKey(escalation.Id),
            cancellationToken);
    }
}
