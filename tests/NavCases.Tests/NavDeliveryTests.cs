using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.NavCases.Tests.NavEventBuilder;

namespace IntegrationHub.NavCases.Tests;

/// <summary>
/// A GP certificate for a person on a NAV case reaches the office's inbox and NAV's webhook: the
/// whole hub in one process, the webhook a real HTTP server on loopback.
/// </summary>
public sealed class NavDeliveryTests : IAsyncLifetime
{
    private const int FailFirst = 4;
    private LoopbackWebhookReceiver _webhook = null!;
    private HubTestServer _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _webhook = await LoopbackWebhookReceiver.StartAsync(FailFirst);
        // Every call here is signed, and the receiver refuses one that is not.
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        _webhook.Secret = secret;
        _hub = await HubTestServer.StartAsync(
            $"--NavCases:Webhook:Url={_webhook.Url}",
            $"--NavCases:Webhook:Secret=whsec_{Convert.ToBase64String(secret)}",
            "--NavCases:Webhook:Retries=1",
            "--NavCases:Webhook:RetryDelay=00:00:00.050",
            "--NavCases:Webhook:FirstBackoff=00:00:00.200",
            "--NavCases:Webhook:HoldBack=00:00:00",
            "--NavCases:Webhook:PollInterval=00:00:00.100",
            "--NavCases:Webhook:MinimumThroughput=1000");
        _personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, null, new JsonObject { ["identifier"] = Kari })).Body.GetProperty("personKey").GetString()!;
    }

    public async Task DisposeAsync()
    {
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

    /// <summary>The case opens at NAV; routing must know the office before the certificate comes.</summary>
    private async Task OpenCaseAsync()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", CaseOpened(DateTimeOffset.UtcNow.AddDays(-3)))).Status);
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<RoutingDbContext>().CareTeam.AnyAsync(m => m.PersonKey == _personKey);
            },
            known => known,
            "the NAV office in the care team");
    }

    private async Task SendCertificateAsync()
    {
        var bundle = CertificateExamples.Mutated(b => b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}");
        using var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        using var response = await _hub.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<DeliveredUpdate> WaitForWebhookStatusAsync(string status) =>
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<NavCasesDbContext>().DeliveredUpdates.AsNoTracking().SingleOrDefaultAsync(u => u.PersonKey == _personKey);
            },
            u => u?.WebhookStatus == status,
            $"the update's webhook status to be {status}") ?? throw new InvalidOperationException();

    [Fact]
    public async Task An_update_reaches_the_webhook_exactly_once_after_failures_and_the_status_history_says_so()
    {
        await OpenCaseAsync();

        await SendCertificateAsync();

        var delivered = await WaitForWebhookStatusAsync(WebhookStatus.Delivered);
        var key = delivered.Id.ToString();
        var body = Assert.Single(_webhook.Processed, p => p.Key == key).Value;
        Assert.Equal(0, _webhook.Repeats);
        Assert.All(_webhook.Calls, c => Assert.Equal(key, c.IdempotencyKey));
        Assert.Equal(FailFirst + 1, _webhook.Calls.Count);
        Assert.Equal(_personKey, body.GetProperty("personKey").GetString());
        Assert.Equal("P15", body.GetProperty("diagnoses")[0].GetProperty("code").GetString());
        Assert.DoesNotContain(Kari, body.GetRawText(), StringComparison.Ordinal);

        var (status, history) = await SendAsync(HttpMethod.Get, $"/inbox/{delivered.Id}/deliveries", HubRoles.NavAdvisor, Office);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("delivered", history.GetProperty("webhookStatus").GetString());
        var calls = history.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal([.. Enumerable.Repeat("failed", FailFirst), "delivered"], calls.Select(c => c.GetProperty("outcome").GetString()));
        Assert.All(calls.Take(FailFirst), c => Assert.Equal(503, c.GetProperty("statusCode").GetInt32()));
        // Two calls per attempt (one quick retry): two attempts failed before the third got through.
        Assert.Equal(FailFirst / 2, history.GetProperty("failedAttempts").GetInt32());
    }

    [Fact]
    public async Task The_advisors_office_sees_the_update_in_its_inbox_and_can_acknowledge_it()
    {
        await OpenCaseAsync();
        await SendCertificateAsync();
        var stored = await WaitForWebhookStatusAsync(WebhookStatus.Delivered);

        var (status, inbox) = await SendAsync(HttpMethod.Get, "/inbox", HubRoles.NavAdvisor, Office);

        Assert.Equal(HttpStatusCode.OK, status);
        var person = Assert.Single(inbox.GetProperty("persons").EnumerateArray());
        Assert.Equal(_personKey, person.GetProperty("personKey").GetString());
        Assert.Equal(1, person.GetProperty("unacknowledged").GetInt32());
        var update = Assert.Single(person.GetProperty("updates").EnumerateArray());
        Assert.Equal("medical-certificate", update.GetProperty("kind").GetString());
        Assert.Equal("delivered", update.GetProperty("webhookStatus").GetString());
        Assert.StartsWith("Fastlegen sendte", update.GetProperty("summary").GetString(), StringComparison.Ordinal);

        var first = await SendAsync(HttpMethod.Post, $"/inbox/{stored.Id}/ack", HubRoles.NavAdvisor, Office);
        var again = await SendAsync(HttpMethod.Post, $"/inbox/{stored.Id}/ack", HubRoles.NavAdvisor, Office);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Body.GetProperty("alreadyAcknowledged").GetBoolean());
        Assert.True(again.Body.GetProperty("alreadyAcknowledged").GetBoolean());
        var (_, after) = await SendAsync(HttpMethod.Get, "/inbox?unacknowledged=true", HubRoles.NavAdvisor, Office);
        Assert.Empty(after.GetProperty("persons").EnumerateArray());
    }

    [Fact]
    public async Task An_advisor_of_another_office_gets_nothing_and_the_attempt_to_read_is_audited()
    {
        await OpenCaseAsync();
        await SendCertificateAsync();
        var stored = await WaitForWebhookStatusAsync(WebhookStatus.Delivered);

        var (_, all) = await SendAsync(HttpMethod.Get, "/inbox", HubRoles.NavAdvisor, "0315");
        var (_, asked) = await SendAsync(HttpMethod.Get, $"/inbox?personKey={_personKey}", HubRoles.NavAdvisor, "0315");
        var (ackStatus, _) = await SendAsync(HttpMethod.Post, $"/inbox/{stored.Id}/ack", HubRoles.NavAdvisor, "0315");

        Assert.Empty(all.GetProperty("persons").EnumerateArray());
        Assert.Empty(asked.GetProperty("persons").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, ackStatus);
        var denied = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .Where(e => e.PersonKey == _personKey && !e.Granted && e.ActorParty == "0315").ToListAsync();
            },
            entries => entries.Any(e => e.Resource == "inbox") && entries.Any(e => e.Resource == "inbox/ack"),
            "the refused reads in the audit log");
        Assert.Contains(denied, e => e.Resource == "inbox");
        Assert.Contains(denied, e => e.Resource == "inbox/ack");
    }

    [Fact]
    public async Task While_the_receiver_is_down_the_update_waits_in_the_inbox_and_is_pushed_when_it_is_back()
    {
        _webhook.Down = true;
        await OpenCaseAsync();
        await SendCertificateAsync();
        await Eventually.WaitForAsync(() => Task.FromResult(_webhook.Calls.Count), n => n >= 8, "several failed calls");

        var (_, inbox) = await SendAsync(HttpMethod.Get, "/inbox", HubRoles.NavAdvisor, Office);
        var waiting = Assert.Single(Assert.Single(inbox.GetProperty("persons").EnumerateArray()).GetProperty("updates").EnumerateArray());
        Assert.Equal("pending", waiting.GetProperty("webhookStatus").GetString());

        _webhook.Down = false;
        var delivered = await WaitForWebhookStatusAsync(WebhookStatus.Delivered);
        Assert.Single(_webhook.Processed);
        Assert.Equal(delivered.Id.ToString(), _webhook.Processed.Keys.Single());
    }
}

/// <summary>The person timeline: NAV's own events and what was delivered to the office, in time order, audited.</summary>
public sealed class PersonTimelineTests : IAsyncLifetime
{
    private HubTestServer _hub = null!;

    public async Task InitializeAsync() => _hub = await HubTestServer.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null)
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task The_advisor_sees_nav_events_and_delivered_updates_in_time_order_and_another_office_is_refused_and_audited()
    {
        var personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, null, new JsonObject { ["identifier"] = Kari })).Body.GetProperty("personKey").GetString()!;
        // Relative to the example certificate's own date, not today's: the certificate must come last whatever the date.
        var issued = CertificateExamples.LegeerklaeringNode().Resource(0)["date"]!.GetValue<DateTimeOffset>();
        var events = new JsonArray(CaseOpened(issued.AddDays(-20)), MessageSent(issued.AddDays(-15), "m-1"), MeetingMissed(issued.AddDays(-5), "meeting-1"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", events)).Status);
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<RoutingDbContext>().CareTeam.AnyAsync(m => m.PersonKey == personKey);
            },
            known => known,
            "the NAV office in the care team");
        var bundle = CertificateExamples.Mutated(b => b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}");
        using (var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } }))
        {
            (await _hub.Client.SendAsync(request)).Dispose();
        }

        var timeline = await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/timeline", HubRoles.NavAdvisor, Office)).Body,
            // Coordination may add its own update (an escalation: nobody has had contact): wait for the certificate itself.
            t => t.ValueKind == JsonValueKind.Array && t.EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "medical-certificate"),
            "the certificate on the timeline");

        var kinds = timeline.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["case-opened", "message-sent", "meeting-missed"], kinds.Take(3));
        Assert.Contains("medical-certificate", kinds);
        var times = timeline.EnumerateArray().Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);

        var (refused, _) = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/timeline", HubRoles.NavAdvisor, "0315");
        Assert.Equal(HttpStatusCode.NotFound, refused);
        var audit = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .Where(e => e.PersonKey == personKey && e.Resource == "persons/timeline").ToListAsync();
            },
            // The polling above read the timeline more than once: wait for the refused read itself.
            entries => entries.Any(e => !e.Granted),
            "the refused timeline read in the audit log");
        Assert.Contains(audit, e => e.Granted && e.ActorParty == Office);
        Assert.Contains(audit, e => !e.Granted && e.ActorParty == "0315");
    }
}
