using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.MunicipalFollowUp.Tests;

/// <summary>Municipal notes in, and updates out to NAV advisors and caseworkers, through the whole hub in one process.</summary>
public sealed class MunicipalFollowUpTests : IAsyncLifetime
{
    private const string Kari = "12039140045";
    private const string Oslo = "0301";
    private const string NavOffice = "0314";
    private HubTestServer _hub = null!;
    private LoopbackWebhookReceiver _webhook = null!;
    private BusObserver _signals = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _webhook = await LoopbackWebhookReceiver.StartAsync(failFirst: 1);
        _hub = await HubTestServer.StartAsync(
            $"--MunicipalFollowUp:Webhook:Recipients:{Oslo}={_webhook.Url}",
            "--MunicipalFollowUp:Webhook:HoldBack=00:00:00",
            "--MunicipalFollowUp:Webhook:RetryDelay=00:00:00.050",
            "--MunicipalFollowUp:Webhook:PollInterval=00:00:00.100");
        _signals = await BusObserver.StartAsync(_hub.Services, (o, e) => e.Handler<EngagementSignalObserved>(c => o.Record(c.Message)));
        _personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, null, new JsonObject { ["identifier"] = Kari })).Body.GetProperty("personKey").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _signals.DisposeAsync();
        await _hub.DisposeAsync();
        await _webhook.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null)
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static JsonObject Note(string municipality = Oslo, string? text = "Tried twice. Phone lost since last week; will try via the shelter.", params string[] signals) => new()
    {
        ["noteId"] = Guid.NewGuid().ToString(),
        ["municipality"] = municipality,
        ["caseworker"] = "rus-oslo-0042",
        ["person"] = new JsonObject { ["identifier"] = Kari },
        ["recordedAt"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["service"] = "addiction",
        ["contact"] = new JsonObject { ["outcome"] = "not-reached", ["channel"] = "phone" },
        ["signals"] = new JsonArray([.. signals.Select(s => (JsonNode)s)]),
        ["text"] = text,
        ["startFollowUp"] = true,
    };

    /// <summary>A coordinator working for a unit of Kari's care team (only the care team records consent).</summary>
    private async Task<string> CoordinatorAsync()
    {
        var member = await Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, Routing.Domain.CareTeamMember?>(r => r.CareTeam.Where(m => m.PersonKey == _personKey && (m.Kind == PartyKind.Nav || m.Kind == PartyKind.Municipality)).OrderBy(m => m.Kind).FirstOrDefaultAsync()),
            m => m is not null,
            "a unit in Kari's care team");
        return member!.Kind == PartyKind.Nav ? $"nav:{member.PartyId}" : member.PartyId;
    }

    private async Task<Guid> GrantAsync(string recipient, params string[] categories)
    {
        // In force for everything decided after the 201: no waiting for routing to hear of it.
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, await CoordinatorAsync(), ConsentRequests.GivenInPerson(Kari, [recipient], categories));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("consentId").GetGuid();
    }

    private async Task<T> QueryAsync<TContext, T>(Func<TContext, Task<T>> query)
        where TContext : DbContext
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    private async Task OpenNavCaseAsync()
    {
        var opened = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = "case-opened",
            ["occurredAt"] = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["caseId"] = "AAP-2026-000123",
            ["navOffice"] = NavOffice,
            ["advisor"] = "Z990123",
            ["caseType"] = "arbeidsavklaring",
        };
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", opened)).Status);
        await WaitForCareTeamAsync(PartyKind.Nav);
    }

    private async Task FollowInOsloAsync()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Oslo,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = Kari }, ["service"] = "addiction" });
        Assert.Equal(HttpStatusCode.Created, status);
        await WaitForCareTeamAsync(PartyKind.Municipality);
    }

    private Task WaitForCareTeamAsync(PartyKind kind) =>
        Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, bool>(r => r.CareTeam.AnyAsync(m => m.PersonKey == _personKey && m.Kind == kind)),
            known => known,
            $"{kind} in the care team");

    /// <summary>The updates of one kind in an inbox, newest first, once there are at least <paramref name="count"/>.</summary>
    private async Task<List<JsonElement>> InboxAsync(string role, string party, string kind, int count) =>
        await Eventually.WaitForAsync(
            async () =>
            {
                var (_, inbox) = await SendAsync(HttpMethod.Get, "/inbox", role, party);
                return inbox.GetProperty("persons").EnumerateArray()
                    .SelectMany(p => p.GetProperty("updates").EnumerateArray())
                    .Where(u => u.GetProperty("kind").GetString() == kind)
                    .ToList();
            },
            updates => updates.Count >= count,
            $"{count} {kind} update(s) in the {role} inbox");

    private async Task PostNoteAsync(JsonObject note) =>
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Oslo, note)).Status);

    [Fact]
    public async Task A_note_from_0301_with_a_token_of_4601_is_rejected_and_nothing_is_stored()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, "4601", Note(Oslo, signals: "phone-lost"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("4601", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync<MunicipalDbContext, int>(m => m.Notes.CountAsync()));
        Assert.Equal(0, await QueryAsync<MunicipalDbContext, int>(m => m.OutboxMessages.CountAsync()));
        await Task.Delay(300);
        Assert.Empty(_signals.Messages);
    }

    [Fact]
    public async Task A_note_with_bad_fields_gets_a_problem_naming_each_and_a_repeated_note_is_a_duplicate()
    {
        var bad = Note(text: new string('x', 2001));
        bad["contact"] = new JsonObject { ["outcome"] = "caught", ["channel"] = "pigeon" };
        bad["signals"] = new JsonArray("phone-lost", "junkie");
        bad["recordedAt"] = "2026-11-21 13:05";
        var (status, body) = await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Oslo, bad);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "text", "contact.outcome", "contact.channel", "signals", "recordedAt" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        var note = Note();
        await PostNoteAsync(note);
        var (again, answer) = await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Oslo, note);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("duplicate", answer.GetProperty("status").GetString());
        Assert.Equal(1, await QueryAsync<MunicipalDbContext, int>(m => m.Notes.CountAsync()));
    }

    [Fact]
    public async Task The_text_reaches_nav_only_while_the_person_consents_to_follow_up_notes()
    {
        await OpenNavCaseAsync();
        await GrantAsync("nav", "contact-status");

        await PostNoteAsync(Note(text: "Before consent"));
        var first = Assert.Single(await InboxAsync(HubRoles.NavAdvisor, NavOffice, "follow-up-note", 1));
        Assert.Equal("not-reached", first.GetProperty("contact").GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("followUpNote").ValueKind);

        var notesConsent = await GrantAsync("nav", "follow-up-notes");
        await PostNoteAsync(Note(text: "With consent"));
        var second = (await InboxAsync(HubRoles.NavAdvisor, NavOffice, "follow-up-note", 2))[0];
        Assert.Equal("With consent", second.GetProperty("followUpNote").GetString());

        var (withdrawn, _) = await SendAsync(HttpMethod.Post, $"/consents/{notesConsent}/withdraw", HubRoles.Coordinator, await CoordinatorAsync(),
            new JsonObject { ["via"] = "phone" });
        Assert.Equal(HttpStatusCode.OK, withdrawn);
        await PostNoteAsync(Note(text: "After withdrawal"));
        var third = (await InboxAsync(HubRoles.NavAdvisor, NavOffice, "follow-up-note", 3))[0];
        Assert.Equal(JsonValueKind.Null, third.GetProperty("followUpNote").ValueKind);
        Assert.Equal("not-reached", third.GetProperty("contact").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_certificate_reaches_the_caseworker_with_the_period_and_the_diagnosis_only_with_consent()
    {
        await FollowInOsloAsync();
        await GrantAsync($"municipality:{Oslo}", "work-capacity");

        await SendCertificateAsync();
        var first = Assert.Single(await InboxAsync(HubRoles.MunicipalCaseworker, Oslo, "medical-certificate", 1));
        Assert.Equal(JsonValueKind.Object, first.GetProperty("workCapacity").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("diagnoses").ValueKind);
        Assert.DoesNotContain("P15", first.GetRawText(), StringComparison.Ordinal);

        await GrantAsync($"municipality:{Oslo}", "diagnosis");
        await SendCertificateAsync();
        var second = (await InboxAsync(HubRoles.MunicipalCaseworker, Oslo, "medical-certificate", 2))[0];
        Assert.Equal("P15", second.GetProperty("diagnoses")[0].GetProperty("code").GetString());

        // Oslo's own webhook got both, once each, with what the inbox got and nothing more.
        await Eventually.WaitForAsync(() => Task.FromResult(_webhook.Processed.Count), n => n == 2, "both updates at Oslo's webhook");
        var pushedFirst = _webhook.Processed[first.GetProperty("updateId").GetString()!];
        Assert.Equal(JsonValueKind.Null, pushedFirst.GetProperty("diagnoses").ValueKind);
        Assert.Equal(0, _webhook.Repeats);
    }

    [Fact]
    public async Task Signals_from_a_note_are_published_as_engagement_signals_for_coordination()
    {
        await PostNoteAsync(Note(signals: ["phone-lost", "no-electronic-id"]));

        var lost = await _signals.WaitForAsync<EngagementSignalObserved>(s => s.Signal == EngagementSignal.PhoneLost);
        var noId = await _signals.WaitForAsync<EngagementSignalObserved>(s => s.Signal == EngagementSignal.NoElectronicId);
        Assert.Equal(new PartyReference(PartyKind.Municipality, Oslo), lost.Source);
        Assert.Equal(_personKey, noId.Person.PersonKey);
    }

    [Fact]
    public async Task A_new_advisor_gets_a_handover_with_the_certificate_and_the_municipal_contact_status_and_nothing_unconsented()
    {
        await OpenNavCaseAsync();
        await GrantAsync("nav", "contact-status");
        await SendCertificateAsync();
        await PostNoteAsync(Note(text: "Sensitive: not for NAV"));
        await InboxAsync(HubRoles.NavAdvisor, NavOffice, "follow-up-note", 1);
        await InboxAsync(HubRoles.NavAdvisor, NavOffice, "medical-certificate", 1);

        // A text shared while a consent held, which the person has withdrawn since: not shown again to the new advisor.
        var notesConsent = await GrantAsync("nav", "follow-up-notes");
        await PostNoteAsync(Note(text: "Shared before the withdrawal"));
        await InboxAsync(HubRoles.NavAdvisor, NavOffice, "follow-up-note", 2);
        await SendAsync(HttpMethod.Post, $"/consents/{notesConsent}/withdraw", HubRoles.Coordinator, await CoordinatorAsync(), new JsonObject { ["via"] = "phone" });
        await Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, bool>(r => r.Disclosures.AnyAsync(d => d.ConsentId == notesConsent && d.RetractedAt != null)),
            known => known,
            "NAV's adapter to take the text back");

        var change = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = "advisor-assigned",
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["caseId"] = "AAP-2026-000123",
            ["navOffice"] = NavOffice,
            ["advisor"] = "Z990456",
        };
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", change)).Status);

        var handover = Assert.Single(await InboxAsync(HubRoles.NavAdvisor, NavOffice, "handover-summary", 1));
        var lines = handover.GetProperty("handover").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "medical-certificate"
            && l.GetProperty("update").GetProperty("workCapacity").ValueKind == JsonValueKind.Object);
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "follow-up-note"
            && l.GetProperty("update").GetProperty("contact").GetProperty("outcome").GetString() == "not-reached");
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "case-opened");
        Assert.DoesNotContain("Sensitive", handover.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Shared before the withdrawal", handover.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.GetProperty("kind").GetString() == "follow-up-note"));
    }

    private async Task SendCertificateAsync()
    {
        var bundle = CertificateExamples.Mutated(b => b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}");
        using var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        using var response = await _hub.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
