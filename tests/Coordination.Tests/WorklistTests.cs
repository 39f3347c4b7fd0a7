using System.Net;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Coordination.Tests;

public sealed class WorklistTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LoopbackKrr _krr = null!;
    private CoordinationHub _hub = null!;

    public async Task InitializeAsync()
    {
        _krr = await LoopbackKrr.StartAsync();
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock, $"--Coordination:Krr:BaseUrl={_krr.BaseUrl}"), _clock);
    }

    public async Task DisposeAsync()
    {
        await _hub.Server.DisposeAsync();
        await _krr.DisposeAsync();
    }

    [Fact]
    public async Task The_quiet_person_ranks_above_the_loud_one()
    {
        var people = TestPersons.Synthetic(2, seed: 11);
        var (quiet, loud) = (people[0], people[1]);
        var now = _hub.Now;

        // Loud: many messages, each answered, contact three days ago; reserved in KRR, so escalated too.
        _krr.Answer(loud, LoopbackKrr.Reserved);
        await _hub.CaseOpenedAsync(now.AddDays(-60), loud);
        for (var i = 0; i < 12; i++)
        {
            await _hub.NavEventAsync("message-sent", now.AddDays(-30 + (2 * i)), e => { e["messageId"] = $"m-{i}"; e["channel"] = "activity-plan-dialogue"; }, loud);
            await _hub.NavEventAsync("message-answered", now.AddDays(-30 + (2 * i)).AddHours(2), e => e["messageId"] = $"m-{i}", loud);
        }

        await _hub.ContactAsync(now.AddDays(-3), identifier: loud);

        // Quiet: followed for 40 days, never a message from them, nobody has had contact.
        await _hub.CaseOpenedAsync(now.AddDays(-40), quiet);

        var quietKey = await _hub.PersonKeyAsync(quiet);
        var loudKey = await _hub.PersonKeyAsync(loud);
        await _hub.WaitForEscalationAsync(quietKey);
        await _hub.WaitForEscalationAsync(loudKey);
        await _hub.SettleAsync();

        var (status, list) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, CoordinationHub.NavCoordinator);

        Assert.Equal(HttpStatusCode.OK, status);
        var items = list.EnumerateArray().ToList();
        Assert.Equal([quietKey, loudKey], items.Select(i => i.GetProperty("personKey").GetString()));
        Assert.Equal(40, items[0].GetProperty("daysSinceContact").GetInt32());
        Assert.Equal(3, items[1].GetProperty("daysSinceContact").GetInt32());
        Assert.Contains(items[0].GetProperty("careTeam").EnumerateArray(), m => m.GetProperty("office").GetString() == "NAV 0314");
        Assert.DoesNotContain("Z990123", list.GetRawText(), StringComparison.Ordinal);
        Assert.NotEmpty(items[0].GetProperty("reasons").EnumerateArray());
    }

    [Fact]
    public async Task The_worklist_filters_by_municipality_and_nav_office_and_refuses_bad_filters()
    {
        var person = TestPersons.Synthetic(1, seed: 12)[0];
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-40), person);
        await _hub.WaitForEscalationAsync(await _hub.PersonKeyAsync(person));

        var (_, atOffice) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist?navOffice=0314", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        var (_, elsewhere) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist?navOffice=0315", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        var (_, inOslo) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist?municipality=0301", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        var (bad, _) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist?municipality=oslo", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        var (forbidden, _) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.NavAdvisor, "0314");

        Assert.Single(atOffice.EnumerateArray());
        Assert.Empty(elsewhere.EnumerateArray());
        Assert.Empty(inOslo.EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
    }
}

/// <summary>The acknowledgement deadline is a durable timer: a restart neither loses it nor fires it twice.</summary>
public sealed class EscalationRestartTests : IDisposable
{
    private readonly TemporaryDirectory _data = new("coordination-restart");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_restart_while_the_deadline_is_pending_re_escalates_once_not_twice()
    {
        await using var krr = await LoopbackKrr.StartAsync();
        krr.Answer(CoordinationHub.Kari, LoopbackKrr.Reserved);
        var start = DateTimeOffset.UtcNow;
        string personKey;
        DateTimeOffset raisedAt;
        await using (var first = await HubTestServer.StartInAsync(_data, new ManualTimeProvider(start), $"--Coordination:Krr:BaseUrl={krr.BaseUrl}"))
        {
            var hub = new CoordinationHub(first, new ManualTimeProvider(start));
            personKey = await hub.PersonKeyAsync();
            await hub.CaseOpenedAsync(start.AddHours(-1));
            raisedAt = (await hub.WaitForEscalationAsync(personKey)).RaisedAt;
            await hub.SettleAsync();
        }

        var later = new ManualTimeProvider(raisedAt.AddHours(25));
        await using var second = await HubTestServer.StartInAsync(_data, later, $"--Coordination:Krr:BaseUrl={krr.BaseUrl}");
        var restarted = new CoordinationHub(second, later);
        await restarted.WaitForEscalationAsync(personKey, e => e.Level == 2);
        await restarted.SettleAsync();
        await Task.Delay(1000);

        var escalation = (await restarted.EscalationsAsync(personKey)).Single();
        Assert.Equal(2, escalation.Level);
        var raisedAgain = await restarted.QueryAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.MessageType.StartsWith("IntegrationHub.Contracts.EscalationRaised")).Select(m => m.Body).ToListAsync());
        Assert.Equal(2, raisedAgain.Count);
        Assert.Single(raisedAgain, b => b.Contains("\"level\":2", StringComparison.Ordinal));
        Assert.Single(await restarted.QueryAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.TimerKey == $"escalation-ack:{escalation.Id}" && m.DispatchedAt == null).ToListAsync()));
    }
}
