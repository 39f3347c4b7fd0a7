using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;

namespace IntegrationHub.Coordination.Tests;

/// <summary>Each rule of the table: when it fires and when it does not. Times are when things happened.</summary>
public sealed class ReachRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReachOptions Options = new();

    private static ReachFacts Facts(
        IEnumerable<SignalFact>? signals = null, DateTimeOffset? lastContact = null, DateTimeOffset? clockStart = null, DateTimeOffset? advisorChanged = null, string krr = KrrStatus.Normal) =>
        new([.. signals ?? []], lastContact ?? Now.AddDays(-1), clockStart ?? Now.AddDays(-100), advisorChanged, krr);

    private static SignalFact Nav(string signal, double daysAgo, string? reference = null) => new(signal, PartyKind.Nav, Now.AddDays(-daysAgo), reference);

    private static SignalFact Municipal(string signal, double daysAgo) => new(signal, PartyKind.Municipality, Now.AddDays(-daysAgo), null);

    private static ReachAssessment Assess(ReachFacts facts) => ReachRules.Assess(facts, Options, Now);

    private static IEnumerable<string> Codes(ReachAssessment a) => a.Reasons.Select(r => r.Code);

    [Fact]
    public void A_reachable_person_with_recent_contact_has_no_reasons()
    {
        var assessment = Assess(Facts());

        Assert.Equal(ReachStatus.Reachable, assessment.Status);
        Assert.Empty(assessment.Reasons);
        Assert.False(assessment.Escalate);
        Assert.Equal(Now.AddDays(-1).AddDays(Options.FollowUpDaysAtRisk), assessment.NextReviewAt);
    }

    [Theory]
    [InlineData(6.9, false)]
    [InlineData(7, true)]
    [InlineData(10, true)]
    public void A_message_unread_for_7_days_makes_the_person_at_risk(double daysAgo, bool atRisk)
    {
        var assessment = Assess(Facts([Nav(EngagementSignal.MessageSent, daysAgo, "m-1")]));

        Assert.Equal(atRisk, Codes(assessment).Contains("message-unread"));
        Assert.Equal(atRisk ? ReachStatus.AtRisk : ReachStatus.Reachable, assessment.Status);
        if (!atRisk)
        {
            Assert.Equal(Now.AddDays(-daysAgo).AddDays(7), assessment.NextReviewAt);
        }
    }

    [Fact]
    public void A_message_read_or_answered_is_not_unread()
    {
        var read = Assess(Facts([Nav(EngagementSignal.MessageSent, 10, "m-1"), Nav(EngagementSignal.MessageRead, 9, "m-1")]));
        var answered = Assess(Facts([Nav(EngagementSignal.MessageSent, 10, "m-2"), Nav(EngagementSignal.MessageAnswered, 9, "m-2")]));
        var otherRead = Assess(Facts([Nav(EngagementSignal.MessageSent, 10, "m-3"), Nav(EngagementSignal.MessageRead, 9, "m-4")]));

        Assert.DoesNotContain("message-unread", Codes(read));
        Assert.DoesNotContain("message-unread", Codes(answered));
        Assert.Contains("message-unread", Codes(otherRead));
    }

    [Theory]
    [InlineData(13.9, false)]
    [InlineData(14, true)]
    public void A_message_read_but_unanswered_for_14_days_makes_the_person_at_risk(double daysAgo, bool atRisk)
    {
        var assessment = Assess(Facts([Nav(EngagementSignal.MessageSent, daysAgo, "m-1"), Nav(EngagementSignal.MessageRead, daysAgo - 1, "m-1")]));

        Assert.Equal(atRisk, Codes(assessment).Contains("message-unanswered"));
        Assert.DoesNotContain("message-unread", Codes(assessment));
    }

    [Theory]
    [InlineData(new double[] { 3 }, false)]
    [InlineData(new double[] { 3, 25 }, true)]
    [InlineData(new double[] { 3, 35 }, false)]
    [InlineData(new double[] { 3, 10, 20 }, true)]
    public void Two_missed_meetings_within_30_days_make_the_person_at_risk(double[] daysAgo, bool atRisk)
    {
        var assessment = Assess(Facts(daysAgo.Select(d => Nav(EngagementSignal.MeetingMissed, d, $"meeting-{d}"))));

        Assert.Equal(atRisk, Codes(assessment).Contains("meetings-missed"));
    }

    [Fact]
    public void A_missed_meldekort_makes_the_person_at_risk()
    {
        Assert.Contains("meldekort-missed", Codes(Assess(Facts([Nav(EngagementSignal.EmploymentStatusCardMissed, 2)]))));
        Assert.DoesNotContain("meldekort-missed", Codes(Assess(Facts([Nav(EngagementSignal.EmploymentStatusCardMissed, 90)]))));
    }

    [Theory]
    [InlineData(EngagementSignal.PhoneLost, true)]
    [InlineData(EngagementSignal.NoPhone, true)]
    [InlineData(EngagementSignal.NoPhoneCredit, true)]
    [InlineData(EngagementSignal.NoInternet, true)]
    [InlineData(EngagementSignal.NoElectronicId, true)]
    [InlineData(EngagementSignal.InTreatment, false)]
    [InlineData(EngagementSignal.AskedToBeCalled, false)]
    public void A_municipal_signal_of_no_phone_internet_or_electronic_id_makes_the_person_at_risk(string signal, bool atRisk)
    {
        var assessment = Assess(Facts([Municipal(signal, 1)]));

        Assert.Equal(atRisk, Codes(assessment).Contains("reach-signal"));
        Assert.Equal(atRisk ? ReachStatus.AtRisk : ReachStatus.Reachable, assessment.Status);
    }

    [Theory]
    [InlineData(KrrStatus.Reserved, "krr-reserved")]
    [InlineData(KrrStatus.CannotBeNotified, "krr-cannot-be-notified")]
    public void KRR_reserved_or_cannot_be_notified_means_manual_follow_up_at_once(string krr, string code)
    {
        var assessment = Assess(Facts(krr: krr));

        Assert.Equal(ReachStatus.NotReachedDigitally, assessment.Status);
        Assert.Contains(code, Codes(assessment));
        Assert.True(assessment.Escalate);
    }

    [Theory]
    [InlineData(29.9, false, false)]
    [InlineData(30, false, true)]
    [InlineData(13.9, true, false)]
    [InlineData(14, true, true)]
    public void No_contact_for_30_days_or_14_when_at_risk_raises_an_escalation(double daysSinceContact, bool atRisk, bool escalate)
    {
        var signals = atRisk ? new[] { Municipal(EngagementSignal.PhoneLost, 1) } : [];

        var assessment = Assess(Facts(signals, lastContact: Now.AddDays(-daysSinceContact)));

        Assert.Equal(escalate, Codes(assessment).Contains(ReachRules.FollowUpClockCode));
        Assert.Equal(escalate, assessment.Escalate);
    }

    [Fact]
    public void The_follow_up_clock_starts_when_the_hub_began_following_if_nobody_has_had_contact()
    {
        var quiet = new ReachFacts([], null, Now.AddDays(-40), null, KrrStatus.Normal);
        var fresh = new ReachFacts([], null, Now.AddDays(-5), null, KrrStatus.Normal);

        Assert.Contains(ReachRules.FollowUpClockCode, Codes(Assess(quiet)));
        Assert.DoesNotContain(ReachRules.FollowUpClockCode, Codes(Assess(fresh)));
    }

    [Theory]
    [InlineData(13.9, null, false)]
    [InlineData(14, null, true)]
    [InlineData(20, 5.0, false)]
    public void A_new_advisor_and_14_days_without_contact_raise_an_escalation(double daysSinceChange, double? contactDaysAgo, bool escalate)
    {
        // Without a contact since the change, the last one was the day before it.
        var lastContact = Now.AddDays(-(contactDaysAgo ?? daysSinceChange + 1));

        var assessment = Assess(Facts(lastContact: lastContact, advisorChanged: Now.AddDays(-daysSinceChange)));

        Assert.Equal(escalate, Codes(assessment).Contains("advisor-change-quiet"));
    }

    [Fact]
    public void A_late_event_counts_at_once_by_when_it_happened()
    {
        // Arrives now, says a message was sent 10 days ago and never read.
        var assessment = Assess(Facts([Nav(EngagementSignal.MessageSent, 10, "late")]));

        Assert.Contains("message-unread", Codes(assessment));
    }

    [Fact]
    public void Every_reason_is_in_plain_bokmal_without_stigmatising_words()
    {
        var assessment = Assess(new ReachFacts(
            [Nav(EngagementSignal.MessageSent, 20, "m"), Nav(EngagementSignal.MeetingMissed, 2), Nav(EngagementSignal.MeetingMissed, 3), Nav(EngagementSignal.EmploymentStatusCardMissed, 4), Municipal(EngagementSignal.PhoneLost, 1)],
            Now.AddDays(-40), Now.AddDays(-100), Now.AddDays(-20), KrrStatus.Reserved));

        // Every rule but krr-cannot-be-notified fires here (the clock makes up the count), each with a sentence of its own.
        Assert.Equal(ReachRules.All.Count, assessment.Reasons.Count);
        Assert.All(assessment.Reasons, r => Assert.EndsWith(".", r.Text, StringComparison.Ordinal));
        Assert.Equal(assessment.Reasons.Count, assessment.Reasons.Select(r => r.Text).Distinct().Count());
    }
}
