using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// The leaks issue 16 found, each refused: a unit answers only for the people it follows, sees
/// only its own records of them, and writes only about its own follow-up.
/// </summary>
public sealed class RowLevelAccessTests : IAsyncLifetime
{
    private const string Oslo = CoordinationHub.Municipality;
    private const string Bergen = "4601";
    private const string OwnOffice = CoordinationHub.NavOffice;
    private const string OtherOffice = "1201";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
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

    private Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string party, JsonNode? body = null) =>
        _hub.SendAsync(method, path, role, party, body);

    private async Task<(HttpStatusCode Status, JsonElement Body)> NoteAsync(string identifier, string municipality, string outcome, bool startFollowUp, string? text = null, params string[] signals) =>
        await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, municipality, new JsonObject
        {
            ["noteId"] = Guid.NewGuid().ToString(),
            ["municipality"] = municipality,
            ["caseworker"] = $"rus-{municipality}-1",
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["recordedAt"] = CoordinationHub.Instant(_hub.Now.AddHours(-1)),
            ["service"] = "addiction",
            ["contact"] = new JsonObject { ["outcome"] = outcome, ["channel"] = "phone" },
            ["signals"] = new JsonArray([.. signals.Select(s => (JsonNode)s)]),
            ["text"] = text,
            ["startFollowUp"] = startFollowUp,
        });

    /// <summary>Kari: on an open case at NAV 0314, followed by Oslo, with a health signal from Oslo.</summary>
    private async Task<(string Identifier, string PersonKey)> FollowedPersonAsync(int seed)
    {
        var identifier = TestPersons.Synthetic(1, seed)[0];
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-2), identifier);
        var (status, _) = await NoteAsync(identifier, Oslo, "reached", startFollowUp: true, "Samtale på kontoret. Går til behandling hver uke.", "in-treatment");
        Assert.Equal(HttpStatusCode.Accepted, status);
        await _hub.SettleAsync();
        return (identifier, await _hub.PersonKeyAsync(identifier));
    }

    private async Task<List<(string Role, string? Party, string Resource, bool Granted)>> AuditOfAsync(string personKey)
    {
        return await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                var audit = scope.ServiceProvider.GetRequiredService<AuditDbContext>();
                return (await audit.Entries.AsNoTracking().Where(e => e.PersonKey == personKey).ToListAsync())
                    .Select(e => (e.ActorRole, e.ActorParty, e.Resource, e.Granted)).ToList();
            },
            entries => entries.Any(e => !e.Granted),
            "a refused look in the audit log");
    }

    [Fact]
    public async Task Consents_are_refused_to_caseworkers_and_advisors_of_units_that_do_not_follow_the_person()
    {
        var (identifier, personKey) = await FollowedPersonAsync(seed: 161);
        var (granted, grant) = await SendAsync(HttpMethod.Post, "/consents", HubRoles.MunicipalCaseworker, Oslo,
            ConsentRequests.GivenInPerson(identifier, ["nav"], ["contact-status"]));
        Assert.Equal(HttpStatusCode.Created, granted);
        var consentId = grant.GetProperty("consentId").GetGuid();

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/consents", HubRoles.MunicipalCaseworker, Bergen)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/consents", HubRoles.NavAdvisor, OtherOffice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/consents", HubRoles.Coordinator, Bergen)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/consents/{consentId}/withdraw", HubRoles.MunicipalCaseworker, Bergen, new JsonObject { ["via"] = "phone" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/consents/{consentId}/withdraw", HubRoles.NavAdvisor, OtherOffice, new JsonObject { ["via"] = "phone" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/consents", HubRoles.MunicipalCaseworker, Bergen,
            ConsentRequests.GivenInPerson(identifier, ["municipality:4601"], ["follow-up-notes"]))).Status);

        var (listed, consents) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/consents", HubRoles.NavAdvisor, OwnOffice);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(JsonValueKind.Null, Assert.Single(consents.EnumerateArray()).GetProperty("withdrawnAt").ValueKind);
        var audit = await AuditOfAsync(personKey);
        Assert.Contains(audit, e => e is { Role: HubRoles.MunicipalCaseworker, Party: Bergen, Resource: "persons/consents", Granted: false });
        Assert.Contains(audit, e => e is { Role: HubRoles.NavAdvisor, Party: OtherOffice, Resource: "consents/withdraw", Granted: false });
    }

    [Fact]
    public async Task A_withdrawal_is_recorded_as_the_callers_and_audited()
    {
        var (identifier, personKey) = await FollowedPersonAsync(seed: 162);
        var (_, grant) = await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, Oslo, ConsentRequests.GivenInPerson(identifier, ["nav"], ["contact-status"]));

        var (status, _) = await SendAsync(HttpMethod.Post, $"/consents/{grant.GetProperty("consentId").GetGuid()}/withdraw", HubRoles.NavAdvisor, OwnOffice,
            new JsonObject { ["via"] = "phone", ["recordedBy"] = "somebody-else" });

        Assert.Equal(HttpStatusCode.OK, status);
        var audit = await Eventually.WaitForAsync(
            () => AuditOfAsync(personKey),
            entries => entries.Any(e => e is { Resource: "consents/withdraw", Granted: true }),
            "the withdrawal in the audit log");
        Assert.Contains(audit, e => e is { Role: HubRoles.NavAdvisor, Party: OwnOffice, Resource: "consents/withdraw", Granted: true });
        await using var scope = _hub.Server.Services.CreateAsyncScope();
        var routing = scope.ServiceProvider.GetRequiredService<Routing.Persistence.RoutingDbContext>();
        var withdrawnBy = await routing.Consents.Where(c => c.PersonKey == personKey).Select(c => c.WithdrawalRecordedBy).SingleAsync();
        Assert.StartsWith("dev-nav-advisor (nav-advisor, 0314)", withdrawnBy, StringComparison.Ordinal);
        Assert.DoesNotContain("somebody-else", withdrawnBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_about_a_person_the_municipality_does_not_follow_is_refused_and_does_not_reset_the_clock()
    {
        var identifier = TestPersons.Synthetic(1, seed: 163)[0];
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-40), identifier);
        await _hub.SettleAsync();
        var personKey = await _hub.PersonKeyAsync(identifier);

        var (status, problem) = await NoteAsync(identifier, Bergen, "reached", startFollowUp: false);
        await _hub.SettleAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("POST /municipal/persons", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await _hub.QueryAsync(db => db.Profiles.Where(p => p.PersonKey == personKey).Select(p => p.LastContactAt).SingleAsync()));
        await using (var scope = _hub.Server.Services.CreateAsyncScope())
        {
            var municipal = scope.ServiceProvider.GetRequiredService<MunicipalDbContext>();
            Assert.False(await municipal.Notes.AnyAsync(n => n.PersonKey == personKey));
            Assert.False(await municipal.FollowedPersons.AnyAsync(f => f.PersonKey == personKey));
        }

        var (started, _) = await NoteAsync(identifier, Bergen, "reached", startFollowUp: true);
        await _hub.SettleAsync();

        Assert.Equal(HttpStatusCode.Accepted, started);
        Assert.NotNull(await _hub.QueryAsync(db => db.Profiles.Where(p => p.PersonKey == personKey).Select(p => p.LastContactAt).SingleAsync()));
    }

    [Fact]
    public async Task One_municipality_never_sees_another_municipalitys_note_text_in_the_timeline()
    {
        var (identifier, personKey) = await FollowedPersonAsync(seed: 164);
        Assert.Equal(HttpStatusCode.Accepted, (await NoteAsync(identifier, Bergen, "not-reached", startFollowUp: true, "Bergen prøvde å ringe.")).Status);
        await _hub.SettleAsync();

        var (ownStatus, own) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/timeline", HubRoles.MunicipalCaseworker, Bergen);
        var (osloStatus, oslo) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/timeline", HubRoles.MunicipalCaseworker, Oslo);

        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Contains("Bergen prøvde å ringe.", own.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("behandling", own.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, osloStatus);
        Assert.Contains("Går til behandling", oslo.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Bergen prøvde", oslo.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_advisors_reach_view_shows_no_municipal_health_signal_without_consent()
    {
        var (_, personKey) = await FollowedPersonAsync(seed: 165);

        var (status, reach) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.NavAdvisor, OwnOffice);
        var (_, coordinator) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.Coordinator, Oslo);
        var (_, caseworker) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.MunicipalCaseworker, Oslo);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(reach.GetProperty("signals").EnumerateArray(), s => s.GetProperty("source").GetString() == "municipality");
        Assert.DoesNotContain(reach.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "reach-signal");
        Assert.DoesNotContain("in-treatment", reach.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(coordinator.GetProperty("signals").EnumerateArray(), s => s.GetProperty("signal").GetString() == "in-treatment");
        Assert.Contains(caseworker.GetProperty("signals").EnumerateArray(), s => s.GetProperty("signal").GetString() == "in-treatment");
        Assert.DoesNotContain(caseworker.GetProperty("signals").EnumerateArray(), s => s.GetProperty("source").GetString() == "nav");
    }

    [Fact]
    public async Task After_the_case_closes_the_advisor_no_longer_reads_the_person()
    {
        var (identifier, personKey) = await FollowedPersonAsync(seed: 166);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.NavAdvisor, OwnOffice)).Status);

        await _hub.NavEventAsync("case-closed", _hub.Now.AddHours(-1), e => e["outcome"] = "other", identifier);
        await _hub.SettleAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.NavAdvisor, OwnOffice)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/timeline", HubRoles.NavAdvisor, OwnOffice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/disclosures", HubRoles.NavAdvisor, OwnOffice)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.MunicipalCaseworker, Oslo)).Status);
    }

    [Fact]
    public async Task A_coordinator_sees_only_the_people_its_own_unit_follows()
    {
        var identifier = TestPersons.Synthetic(1, seed: 167)[0];
        _krr.Answer(identifier, LoopbackKrr.Reserved);
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-2), identifier);
        await _hub.SettleAsync();
        var personKey = await _hub.PersonKeyAsync(identifier);
        var escalation = await _hub.WaitForEscalationAsync(personKey);

        // The same four digits as a municipality are another unit than the NAV office 0314.
        var (sameDigitsStatus, sameDigits) = await SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, OwnOffice);
        Assert.Equal(HttpStatusCode.OK, sameDigitsStatus);
        Assert.DoesNotContain(sameDigits.EnumerateArray(), i => i.GetProperty("personKey").GetString() == personKey);

        var (_, navList) = await SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Contains(navList.EnumerateArray(), i => i.GetProperty("personKey").GetString() == personKey);

        var (otherStatus, other) = await SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, Bergen);
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        Assert.DoesNotContain(other.EnumerateArray(), i => i.GetProperty("personKey").GetString() == personKey);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/coordination/escalations/{escalation.Id}", HubRoles.Coordinator, Bergen)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/coordination/escalations/{escalation.Id}/acknowledge", HubRoles.Coordinator, Bergen, new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.Coordinator, Bergen)).Status);
        Assert.Contains(await AuditOfAsync(personKey), e => e is { Role: HubRoles.Coordinator, Party: Bergen, Resource: "coordination/escalations", Granted: false });
    }

    [Fact]
    public async Task Hub_admin_reads_no_person_data()
    {
        var (_, personKey) = await FollowedPersonAsync(seed: 168);

        foreach (var path in new[] { "reach", "timeline", "consents", "disclosures" })
        {
            var (status, _) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/{path}", HubRoles.HubAdmin, Oslo);
            Assert.Equal(HttpStatusCode.Forbidden, status);
        }
    }
}
