using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Coordination.Tests;

/// <summary>The person's right of access: registered without BankID, answered by every module that holds data about people, handed over and audited.</summary>
public sealed class AccessRequestTests : IAsyncLifetime
{
    private const string NoteText = "Nådd via hospitset. Ønsker å bli ringt på fredager.";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoordinationHub _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock), _clock);
        _personKey = await _hub.PersonKeyAsync();
        await _hub.NamedAndFollowedWithANoteAndACertificateAsync(NoteText);
        var (consented, _) = await _hub.SendAsync(HttpMethod.Post, "/consents", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality,
            ConsentRequests.GivenInPerson(CoordinationHub.Kari, ["nav", "municipality:0301"], ["contact-status", "follow-up-notes", "work-capacity"]));
        Assert.Equal(HttpStatusCode.Created, consented);
        await _hub.SettleAsync();
    }

    public async Task DisposeAsync() => await _hub.Server.DisposeAsync();

    [Fact]
    public async Task Every_module_answers_and_the_report_holds_the_certificate_the_case_the_note_the_consent_and_the_disclosures()
    {
        var (registered, request) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/access-requests", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality,
            new JsonObject { ["receivedVia"] = "phone", ["note"] = "Ringte fra hospitset og ba om kopi." });
        Assert.Equal(HttpStatusCode.Created, registered);
        Assert.Equal(_hub.Now.AddMonths(1), request.GetProperty("dueAt").GetDateTimeOffset());
        var requestId = request.GetProperty("requestId").GetGuid();

        var report = await Eventually.WaitForAsync(
            async () => (await _hub.SendAsync(HttpMethod.Get, $"/access-requests/{requestId}", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality)).Body,
            r => r.GetProperty("request").GetProperty("state").GetString() == "ready",
            "every module's part of the answer");

        Assert.Equal("Nordmann", report.GetProperty("person").GetProperty("name").GetProperty("family").GetString());
        var sections = report.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("module").GetString()!);
        Assert.Equal(["gp-certificates", "nav-cases", "municipal-follow-up", "routing", "coordination"], sections.Keys);
        Assert.Contains("Legeerklæring", Text(sections["gp-certificates"]), StringComparison.Ordinal);
        Assert.Contains("Arbeidsuførhet", Text(sections["gp-certificates"]), StringComparison.Ordinal);
        Assert.Contains($"Sak AAP-{CoordinationHub.Kari}", Text(sections["nav-cases"]), StringComparison.Ordinal);
        Assert.Contains(NoteText, Text(sections["municipal-follow-up"]), StringComparison.Ordinal);
        Assert.Contains("Samtykke", Text(sections["routing"]), StringComparison.Ordinal);
        Assert.Contains("Delt med", Text(sections["routing"]), StringComparison.Ordinal);
        Assert.Contains("Kari Nordmann", Text(sections["coordination"]), StringComparison.Ordinal);
        Assert.Contains("har mistet telefonen", Text(sections["coordination"]), StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{CoordinationHub.Kari}\"", report.GetRawText(), StringComparison.Ordinal);

        var (handedOver, answer) = await _hub.SendAsync(HttpMethod.Post, $"/access-requests/{requestId}/handed-over", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality,
            new JsonObject { ["via"] = "in-person" });
        Assert.Equal(HttpStatusCode.OK, handedOver);
        Assert.Equal("handed-over", answer.GetProperty("state").GetString());

        var audited = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .Where(e => e.PersonKey == _personKey && e.Granted && (e.Resource == "access-requests" || e.Resource == "persons/access-requests"))
                    .Select(e => e.Purpose).ToListAsync();
            },
            purposes => purposes.Any(p => p.StartsWith("innsyn: hand", StringComparison.Ordinal)),
            "the registration, the reading and the hand-over in the audit log");
        Assert.Contains("register the person's access request (innsyn)", audited);
        Assert.Contains("innsyn: produce everything the hub holds about the person", audited);
    }

    [Fact]
    public async Task A_unit_that_does_not_follow_the_person_can_neither_register_nor_read_and_its_looks_are_audited()
    {
        var (registered, request) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/access-requests", HubRoles.NavAdvisor, CoordinationHub.NavOffice,
            new JsonObject { ["receivedVia"] = "in-person" });
        Assert.Equal(HttpStatusCode.Created, registered);
        var requestId = request.GetProperty("requestId").GetGuid();

        var (other, _) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/access-requests", HubRoles.MunicipalCaseworker, "4601", new JsonObject { ["receivedVia"] = "phone" });
        var (read, _) = await _hub.SendAsync(HttpMethod.Get, $"/access-requests/{requestId}", HubRoles.MunicipalCaseworker, "4601");
        var (unknownWay, problem) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/access-requests", HubRoles.NavAdvisor, CoordinationHub.NavOffice,
            new JsonObject { ["receivedVia"] = "bankid" });

        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Equal(HttpStatusCode.NotFound, read);
        Assert.Equal(HttpStatusCode.BadRequest, unknownWay);
        Assert.True(problem.GetProperty("errors").TryGetProperty("receivedVia", out _));
        var refused = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .CountAsync(e => e.PersonKey == _personKey && !e.Granted && e.ActorParty == "4601");
            },
            n => n >= 2,
            "both refused looks in the audit log");
        Assert.Equal(2, refused);
        Assert.Single(await _hub.QueryAsync(db => db.AccessRequests.AsNoTracking().ToListAsync()));
    }

    private static string Text(JsonElement section) => section.GetRawText();
}
