using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Coordination.Tests;

/// <summary>
/// One scenario per rule in the running hub, on a clock the test moves: when the escalation is
/// raised, and that it is not raised a moment before. The durable timers do the waking.
/// </summary>
public sealed class EscalationScenarioTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LoopbackKrr _krr = null!;
    private CoordinationHub _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _krr = await LoopbackKrr.StartAsync();
        // A fixed answer: the default one is templated, and its first rendering on a loaded machine
        // once took longer than the 2 s KRR time-out below, which made Kari not reachable digitally.
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Normal);
        var server = await HubTestServer.StartAsync(_clock, $"--Coordination:Krr:BaseUrl={_krr.BaseUrl}", "--Coordination:Krr:Timeout=00:00:02");
        _hub = new CoordinationHub(server, _clock);
        _personKey = await _hub.PersonKeyAsync();
    }

    public async Task DisposeAsync()
    {
        await _hub.Server.DisposeAsync();
        await _krr.DisposeAsync();
    }

    /// <summary>A case opened two days ago; the last contact was yesterday.</summary>
    private async Task<DateTimeOffset> FollowedWithContactYesterdayAsync()
    {
        var contact = _hub.Now.AddDays(-1);
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-2));
        await _hub.ContactAsync(contact);
        await _hub.SettleAsync();
        Assert.Empty(await _hub.EscalationsAsync(_personKey));
        return contact;
    }

    private async Task AdvanceToAsync(DateTimeOffset at)
    {
        _clock.Advance(at - _hub.Now);
        await _hub.SettleAsync();
    }

    [Fact]
    public async Task Without_any_risk_no_contact_for_30_days_raises_an_escalation_and_29_do_not()
    {
        var contact = await FollowedWithContactYesterdayAsync();

        await AdvanceToAsync(contact.AddDays(29.9));
        Assert.Empty(await _hub.EscalationsAsync(_personKey));

        await AdvanceToAsync(contact.AddDays(30).AddMinutes(1));
        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        Assert.Contains(ReachRules.FollowUpClockCode, escalation.Reasons, StringComparison.Ordinal);
        Assert.Equal(ReachStatus.Reachable, await _hub.StatusAsync(_personKey));
    }

    public static TheoryData<string> AtRiskRules => ["message-unread", "message-unanswered", "meetings-missed", "meldekort-missed", "reach-signal"];

    [Theory]
    [MemberData(nameof(AtRiskRules))]
    public async Task An_at_risk_rule_makes_the_person_at_risk_and_raises_an_escalation_after_14_days_without_contact(string rule)
    {
        var contact = await FollowedWithContactYesterdayAsync();
        var now = _hub.Now;
        switch (rule)
        {
            case "message-unread":
                // Arrives late: sent eight days ago, never read. It counts at once.
                await _hub.NavEventAsync("message-sent", now.AddDays(-8), e => { e["messageId"] = "m-1"; e["channel"] = "activity-plan-dialogue"; });
                break;
            case "message-unanswered":
                await _hub.NavEventAsync("message-sent", now.AddDays(-15), e => { e["messageId"] = "m-1"; e["channel"] = "sms"; });
                await _hub.NavEventAsync("message-read", now.AddDays(-14), e => e["messageId"] = "m-1");
                break;
            case "meetings-missed":
                await _hub.NavEventAsync("meeting-missed", now.AddDays(-5), e => e["meetingId"] = "meeting-1");
                await _hub.NavEventAsync("meeting-missed", now.AddHours(-1), e => e["meetingId"] = "meeting-2");
                break;
            case "meldekort-missed":
                await _hub.NavEventAsync("employment-status-card-missed", now.AddHours(-1), e => e["period"] = new JsonObject { ["start"] = "2026-11-02", ["end"] = "2026-11-15" });
                break;
            default:
                await _hub.MunicipalNoteAsync(now.AddHours(-1), "not-reached", "phone-lost");
                break;
        }

        await _hub.SettleAsync();
        Assert.Equal(ReachStatus.AtRisk, await _hub.StatusAsync(_personKey));
        Assert.Empty(await _hub.EscalationsAsync(_personKey));

        await AdvanceToAsync(contact.AddDays(13.9));
        Assert.Empty(await _hub.EscalationsAsync(_personKey));

        await AdvanceToAsync(contact.AddDays(14).AddMinutes(1));
        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        Assert.Contains(ReachRules.FollowUpClockCode, escalation.Reasons, StringComparison.Ordinal);
        Assert.Contains(rule, escalation.Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_advisor_and_14_days_without_contact_raise_an_escalation_and_13_do_not()
    {
        await FollowedWithContactYesterdayAsync();
        var change = _hub.Now;
        await _hub.NavEventAsync("advisor-assigned", change, e => e["advisor"] = "Z990456");
        await _hub.SettleAsync();

        await AdvanceToAsync(change.AddDays(13.9));
        Assert.Empty(await _hub.EscalationsAsync(_personKey));

        await AdvanceToAsync(change.AddDays(14).AddMinutes(1));
        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        Assert.Contains("advisor-change-quiet", escalation.Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contact_after_the_advisor_change_keeps_the_escalation_away()
    {
        await FollowedWithContactYesterdayAsync();
        var change = _hub.Now;
        await _hub.NavEventAsync("advisor-assigned", change, e => e["advisor"] = "Z990456");
        await _hub.SettleAsync();
        await AdvanceToAsync(change.AddDays(3));
        await _hub.ContactAsync(change.AddDays(3));
        // The contact is handled on day 3: the clock may not pass the 14-day review before it is.
        await _hub.SettleAsync();

        await AdvanceToAsync(change.AddDays(15));

        Assert.Empty(await _hub.EscalationsAsync(_personKey));
    }

    [Fact]
    public async Task KRR_reserved_means_manual_follow_up_at_once()
    {
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Reserved);

        await _hub.CaseOpenedAsync(_hub.Now.AddHours(-1));

        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        Assert.Contains("krr-reserved", escalation.Reasons, StringComparison.Ordinal);
        Assert.Equal(ReachStatus.NotReachedDigitally, await _hub.StatusAsync(_personKey));
        Assert.Equal(1, _krr.Lookups[CoordinationHub.Kari]);
    }

    [Fact]
    public async Task KRR_normal_raises_nothing_and_is_asked_again_after_a_week()
    {
        await _hub.CaseOpenedAsync(_hub.Now.AddHours(-1));
        await _hub.ContactAsync(_hub.Now.AddMinutes(-30));
        await Eventually.WaitForAsync(() => Task.FromResult(_krr.Lookups.GetValueOrDefault(CoordinationHub.Kari)), n => n == 1, "the first KRR lookup");
        await _hub.SettleAsync();
        Assert.Empty(await _hub.EscalationsAsync(_personKey));

        await AdvanceToAsync(_hub.Now.AddDays(7).AddMinutes(1));

        await Eventually.WaitForAsync(() => Task.FromResult(_krr.Lookups.GetValueOrDefault(CoordinationHub.Kari)), n => n == 2, "the weekly KRR lookup");
    }

    [Fact]
    public async Task KRR_down_counts_as_cannot_be_notified_and_the_lookup_is_retried()
    {
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Error);

        await _hub.CaseOpenedAsync(_hub.Now.AddHours(-1));

        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        Assert.Contains("krr-cannot-be-notified", escalation.Reasons, StringComparison.Ordinal);
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Normal);
        await AdvanceToAsync(_hub.Now.AddMinutes(16));
        await Eventually.WaitForAsync(() => Task.FromResult(_krr.Lookups.GetValueOrDefault(CoordinationHub.Kari)), n => n == 2, "the retried KRR lookup");
        await _hub.SettleAsync();
        Assert.Equal(ReachStatus.Reachable, await _hub.StatusAsync(_personKey));
    }

    [Fact]
    public async Task An_escalation_not_acknowledged_in_24_hours_is_raised_again_one_level_up_and_acknowledging_stops_it()
    {
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Reserved);
        await _hub.CaseOpenedAsync(_hub.Now.AddHours(-1));
        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        var raised = escalation.RaisedAt;

        await AdvanceToAsync(raised.AddHours(23.9));
        Assert.Equal(1, (await _hub.EscalationsAsync(_personKey)).Single().Level);

        await AdvanceToAsync(raised.AddHours(24).AddMinutes(1));
        await _hub.WaitForEscalationAsync(_personKey, e => e.Level == 2);

        var (status, _) = await _hub.SendAsync(HttpMethod.Post, $"/coordination/escalations/{escalation.Id}/acknowledge", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Equal(HttpStatusCode.OK, status);
        await AdvanceToAsync(raised.AddHours(72));
        var after = (await _hub.EscalationsAsync(_personKey)).Single();
        Assert.Equal(2, after.Level);
        Assert.Equal(EscalationState.Acknowledged, after.State);
    }
}
