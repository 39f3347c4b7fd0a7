using IntegrationHub.Contracts;

namespace IntegrationHub.Coordination.Domain;

public static class ReachStatus
{
    public const string Reachable = "reachable";
    public const string AtRisk = "at-risk";
    public const string NotReachedDigitally = "not-reached-digitally";
}

public static class KrrStatus
{
    public const string Unknown = "unknown";
    public const string Normal = "normal";
    public const string Reserved = "reserved";
    public const string CannotBeNotified = "cannot-be-notified";
}

public enum RuleEffect
{
    /// <summary>The person is at risk of falling out of digital follow-up; the follow-up clock runs shorter.</summary>
    AtRisk,

    /// <summary>The person cannot be followed digitally: manual follow-up at once.</summary>
    NotReachedDigitally,

    /// <summary>A human coordinator must follow up now.</summary>
    Escalate,
}

/// <summary>One signal as the rules see it: what, when it happened at the source, and its reference.</summary>
public sealed record SignalFact(string Signal, PartyKind Source, DateTimeOffset OccurredAt, string? Reference);

/// <summary>Everything the rules look at for one person. Times are when things happened, not when the hub heard.</summary>
/// <param name="ClockStart">When the hub began following the person, or a coordinator last closed an escalation: the follow-up clock never starts before it.</param>
public sealed record ReachFacts(
    IReadOnlyList<SignalFact> Signals,
    DateTimeOffset? LastContactAt,
    DateTimeOffset ClockStart,
    DateTimeOffset? AdvisorChangedAt,
    string Krr);

/// <summary>A rule fired (with a plain-words detail), or when it will fire if nothing else happens.</summary>
public readonly record struct RuleOutcome(bool Fired, DateTimeOffset? NextAt, string? Detail)
{
    public static RuleOutcome No(DateTimeOffset? nextAt = null) => new(false, nextAt, null);

    public static RuleOutcome Yes(string detail) => new(true, null, detail);
}

/// <summary>One rule: its code, what it does, a description for staff, whose records its reason reveals, and its check.</summary>
/// <param name="RevealsRecordsOf">The party whose own records the rule reads (NAV's messages, the municipality's signals); an advisor or caseworker of another party does not see its reason. Null: KRR and the follow-up clock, which every unit that follows the person may see.</param>
public sealed record ReachRule(string Code, RuleEffect Effect, string Description, PartyKind? RevealsRecordsOf, Func<ReachFacts, ReachOptions, DateTimeOffset, RuleOutcome> Check);

/// <summary>A reason for the status or an escalation, in plain bokmål.</summary>
public sealed record ReachReason(string Code, RuleEffect Effect, string Text);

public sealed record ReachAssessment(string Status, IReadOnlyList<ReachReason> Reasons, bool Escalate, DateTimeOffset? NextReviewAt);

/// <summary>
/// The reach rules as a table, like NAV's own rule tables: each entry has its code, its effect and
/// its text. A new rule is one entry. Pure: the time and the facts come in, the verdict goes out.
/// </summary>
public static class ReachRules
{
    private static readonly Dictionary<string, string> SignalTexts = new(StringComparer.Ordinal)
    {
        [EngagementSignal.PhoneLost] = "har mistet telefonen",
        [EngagementSignal.NoPhone] = "har ikke telefon",
        [EngagementSignal.NoPhoneCredit] = "har ikke penger på telefonen",
        [EngagementSignal.NoInternet] = "har ikke internett",
        [EngagementSignal.NoElectronicId] = "har ikke BankID eller annen elektronisk ID",
        [EngagementSignal.NoFixedAddress] = "har ikke fast adresse",
        [EngagementSignal.Hospitalised] = "er innlagt",
        [EngagementSignal.InTreatment] = "er i behandling",
    };

    /// <summary>A signal in words ("har mistet telefonen"); a signal without words of its own by its code.</summary>
    public static string SignalText(string code) => SignalTexts.GetValueOrDefault(code, code);

    /// <summary>Signals that mean someone had real contact with the person.</summary>
    public static IReadOnlySet<string> ContactSignals { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        EngagementSignal.ContactSucceeded, EngagementSignal.MeetingAttended, EngagementSignal.MessageAnswered, EngagementSignal.WalkedInInstead,
    };

    public static IReadOnlyList<ReachRule> All { get; } =
    [
        new("krr-reserved", RuleEffect.NotReachedDigitally, "Reservert mot digital kontakt i KRR", null,
            (f, _, _) => f.Krr == KrrStatus.Reserved
                ? RuleOutcome.Yes("Brukeren har reservert seg mot digital kontakt (KRR) og skal følges opp manuelt.")
                : RuleOutcome.No()),
        new("krr-cannot-be-notified", RuleEffect.NotReachedDigitally, "Kan ikke varsles digitalt (KRR), eller KRR svarte ikke", null,
            (f, _, _) => f.Krr == KrrStatus.CannotBeNotified
                ? RuleOutcome.Yes("Brukeren kan ikke varsles digitalt (KRR) og skal følges opp manuelt.")
                : RuleOutcome.No()),
        new("message-unread", RuleEffect.AtRisk, "Melding fra NAV ulest etter fristen", PartyKind.Nav,
            (f, o, now) => Unfollowed(f, o, now, EngagementSignal.MessageRead, o.MessageUnreadDays, $"En melding fra NAV har vært ulest i mer enn {o.MessageUnreadDays} dager.")),
        new("message-unanswered", RuleEffect.AtRisk, "Melding fra NAV ubesvart etter fristen", PartyKind.Nav,
            (f, o, now) => Unfollowed(f, o, now, EngagementSignal.MessageAnswered, o.MessageUnansweredDays, $"En melding fra NAV har vært ubesvart i mer enn {o.MessageUnansweredDays} dager.")),
        new("meetings-missed", RuleEffect.AtRisk, "Flere møter ikke møtt i perioden", PartyKind.Nav,
            (f, o, now) =>
            {
                var missed = f.Signals.Count(s => s.Signal == EngagementSignal.MeetingMissed && s.OccurredAt > now.AddDays(-o.MissedMeetingsWindowDays) && s.OccurredAt <= now);
                return missed >= o.MissedMeetings
                    ? RuleOutcome.Yes($"Brukeren har ikke kommet til {missed} møter de siste {o.MissedMeetingsWindowDays} dagene.")
                    : RuleOutcome.No();
            }),
        new("meldekort-missed", RuleEffect.AtRisk, "Meldekort ikke sendt", PartyKind.Nav,
            (f, o, now) => Recent(f, o, now).Any(s => s.Signal == EngagementSignal.EmploymentStatusCardMissed)
                ? RuleOutcome.Yes("Meldekortet kom ikke inn.")
                : RuleOutcome.No()),
        new("reach-signal", RuleEffect.AtRisk, "Kommunen melder at brukeren mangler telefon, internett eller elektronisk ID", PartyKind.Municipality,
            (f, o, now) =>
            {
                var signals = Recent(f, o, now).Where(s => o.AtRiskSignals.Contains(s.Signal)).Select(s => s.Signal).Distinct().ToList();
                return signals.Count > 0
                    ? RuleOutcome.Yes($"Brukeren {string.Join(" og ", signals.Select(s => SignalTexts.GetValueOrDefault(s, s)))}.")
                    : RuleOutcome.No();
            }),
        new("advisor-change-quiet", RuleEffect.Escalate, "Ny veileder, og ingen kontakt siden", PartyKind.Nav,
            (f, o, now) =>
            {
                if (f.AdvisorChangedAt is not { } changed || f.LastContactAt > changed)
                {
                    return RuleOutcome.No();
                }

                var due = changed.AddDays(o.AdvisorChangeQuietDays);
                return now >= due
                    ? RuleOutcome.Yes($"Brukeren fikk ny veileder for {(int)(now - changed).TotalDays} dager siden, og ingen har hatt kontakt siden.")
                    : RuleOutcome.No(due);
            }),
    ];

    /// <summary>
    /// The follow-up clock: no successful contact through any party for too long, shorter when at
    /// risk. Not in the table, since its limit depends on what the table's rules found.
    /// </summary>
    public const string FollowUpClockCode = "follow-up-clock";

    /// <summary>Whose records a reason reveals (<see cref="ReachRule.RevealsRecordsOf"/>); null for the clock and unknown codes' neutral text.</summary>
    public static PartyKind? RevealsRecordsOf(string code) => All.FirstOrDefault(r => r.Code == code)?.RevealsRecordsOf;

    public static ReachAssessment Assess(ReachFacts facts, ReachOptions options, DateTimeOffset now)
    {
        var reasons = new List<ReachReason>();
        var next = new List<DateTimeOffset>();
        foreach (var rule in All)
        {
            var outcome = rule.Check(facts, options, now);
            if (outcome.Fired)
            {
                reasons.Add(new ReachReason(rule.Code, rule.Effect, outcome.Detail!));
            }
            else if (outcome.NextAt is { } at)
            {
                next.Add(at);
            }
        }

        var atRisk = reasons.Any(r => r.Effect is RuleEffect.AtRisk or RuleEffect.NotReachedDigitally);
        var quietSince = facts.LastContactAt is { } contact && contact > facts.ClockStart ? contact : facts.ClockStart;
        var limit = atRisk ? options.FollowUpDaysAtRisk : options.FollowUpDays;
        var clockDue = quietSince.AddDays(limit);
        if (now >= clockDue)
        {
            var days = (int)(now - quietSince).TotalDays;
            var text = facts.LastContactAt is null || facts.LastContactAt < facts.ClockStart
                ? $"Ingen har hatt kontakt med brukeren de siste {days} dagene."
                : $"Ingen har hatt kontakt med brukeren på {days} dager.";
            reasons.Add(new ReachReason(FollowUpClockCode, RuleEffect.Escalate, text));
        }
        else
        {
            next.Add(clockDue);
            // Becoming at risk later shortens the clock; the short limit is the earliest it can fire.
            next.Add(quietSince.AddDays(options.FollowUpDaysAtRisk));
        }

        var status = reasons.Any(r => r.Effect == RuleEffect.NotReachedDigitally) ? ReachStatus.NotReachedDigitally
            : atRisk ? ReachStatus.AtRisk
            : ReachStatus.Reachable;
        var escalate = reasons.Any(r => r.Effect is RuleEffect.Escalate or RuleEffect.NotReachedDigitally);
        // Escalate tells what the rules found; ReachReview raises for NotReachedDigitally only when it is new.
        var nextReview = next.Where(t => t > now).DefaultIfEmpty().Min();
        return new ReachAssessment(status, reasons, escalate, nextReview == default ? null : nextReview);
    }

    private static IEnumerable<SignalFact> Recent(ReachFacts facts, ReachOptions options, DateTimeOffset now) =>
        facts.Signals.Where(s => s.OccurredAt > now.AddDays(-options.SignalWindowDays) && s.OccurredAt <= now);

    /// <summary>A message sent and not followed by <paramref name="followUp"/> (read, answered) within the limit.</summary>
    private static RuleOutcome Unfollowed(ReachFacts facts, ReachOptions options, DateTimeOffset now, string followUp, int days, string text)
    {
        var done = facts.Signals
            .Where(s => s.Signal == followUp || (followUp == EngagementSignal.MessageRead && s.Signal == EngagementSignal.MessageAnswered))
            .Select(s => s.Reference)
            .ToHashSet(StringComparer.Ordinal);
        var open = Recent(facts, options, now).Where(s => s.Signal == EngagementSignal.MessageSent && !done.Contains(s.Reference)).ToList();
        if (open.Count == 0)
        {
            return RuleOutcome.No();
        }

        var oldest = open.Min(s => s.OccurredAt);
        var due = oldest.AddDays(days);
        return now >= due ? RuleOutcome.Yes(text) : RuleOutcome.No(due);
    }
}
