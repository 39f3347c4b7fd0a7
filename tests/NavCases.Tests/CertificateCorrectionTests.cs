using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.NavCases.Tests.NavEventBuilder;

namespace IntegrationHub.NavCases.Tests;

/// <summary>
/// An amended certificate replaces the earlier one, and entered-in-error withdraws it, wherever it
/// reached: both inboxes (read or not), the timeline, and NAV's webhook, a real HTTP server on loopback.
/// </summary>
public sealed class CertificateCorrectionTests : IAsyncLifetime
{
    private const string Oslo = "0301";
    private static readonly DateTimeOffset FirstIssue = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private LoopbackWebhookReceiver _webhook = null!;
    private HubTestServer _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _webhook = await LoopbackWebhookReceiver.StartAsync();
        _hub = await HubTestServer.StartAsync(
            $"--NavCases:Webhook:Url={_webhook.Url}",
            "--NavCases:Webhook:HoldBack=00:00:00",
            "--NavCases:Webhook:PollInterval=00:00:00.100");
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

    private async Task PostBundleAsync(string identifier, DateTimeOffset issuedAt, string status = "final", string? replaces = null, decimal? percent = null)
    {
        var bundle = CertificateExamples.Mutated(b =>
        {
            b["identifier"]!["value"] = identifier;
            b.Resource(0)["date"] = issuedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);
            b.Resource(0)["status"] = status;
            if (replaces is not null)
            {
                b.Resource(0)["relatesTo"] = new JsonArray(new JsonObject
                {
                    ["code"] = "replaces",
                    ["targetIdentifier"] = new JsonObject { ["system"] = "urn:ietf:rfc:3986", ["value"] = replaces },
                });
            }

            if (percent is { } value)
            {
                b.Resource(5)["valueQuantity"]!["value"] = value;
            }
        });
        using var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        using var response = await _hub.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonElement> CertificateAsync(string role, string party, DateTimeOffset issuedAt, Func<JsonElement, bool> done, string what) =>
        await Eventually.WaitForAsync(
            async () =>
            {
                var (_, inbox) = await SendAsync(HttpMethod.Get, "/inbox", role, party);
                return inbox.GetProperty("persons").EnumerateArray().SelectMany(p => p.GetProperty("updates").EnumerateArray())
                    .FirstOrDefault(u => u.GetProperty("kind").GetString() == "medical-certificate" && u.GetProperty("occurredAt").GetDateTimeOffset() == issuedAt);
            },
            u => u.ValueKind == JsonValueKind.Object && done(u),
            what);

    private Task<JsonElement> RetractionCallAsync(string updateId) =>
        Eventually.WaitForAsync(
            () => Task.FromResult(_webhook.Processed.Values.FirstOrDefault(b => b.TryGetProperty("retracts", out var r) && r.GetString() == updateId)),
            b => b.ValueKind == JsonValueKind.Object,
            $"a retraction call for {updateId} at NAV's webhook");

    [Fact]
    public async Task An_amended_certificate_replaces_the_earlier_one_and_entered_in_error_withdraws_it_wherever_it_reached()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", CaseOpened(FirstIssue.AddDays(-3)))).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Oslo,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = Kari }, ["service"] = "addiction" })).Status);
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<RoutingDbContext>().CareTeam.CountAsync(m => m.PersonKey == _personKey);
            },
            n => n >= 2,
            "NAV and Oslo in the care team");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, Oslo,
            ConsentRequests.GivenInPerson(Kari, [$"municipality:{Oslo}"], ["work-capacity"]))).Status);

        var original = $"urn:uuid:{Guid.NewGuid()}";
        await PostBundleAsync(original, FirstIssue);
        var atNav = await CertificateAsync(HubRoles.NavAdvisor, Office, FirstIssue, u => u.GetProperty("webhookStatus").GetString() == "delivered", "the original pushed to NAV");
        var originalAtNav = atNav.GetProperty("updateId").GetString()!;
        var atOslo = await CertificateAsync(HubRoles.MunicipalCaseworker, Oslo, FirstIssue, _ => true, "the original at Oslo");
        // Oslo's caseworker has read it: a correction reaches read updates too.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/inbox/{atOslo.GetProperty("updateId").GetString()}/ack", HubRoles.MunicipalCaseworker, Oslo, new JsonObject())).Status);

        // Amended: 60 % instead of 100 %.
        var amended = $"urn:uuid:{Guid.NewGuid()}";
        var amendedAt = FirstIssue.AddHours(1);
        await PostBundleAsync(amended, amendedAt, "amended", replaces: original, percent: 60);
        var replacement = await CertificateAsync(HubRoles.NavAdvisor, Office, amendedAt, _ => true, "the amended certificate at NAV");
        Assert.Equal(60m, replacement.GetProperty("workCapacity").GetProperty("incapacityPercent").GetDecimal());
        var replaced = await CertificateAsync(HubRoles.NavAdvisor, Office, FirstIssue, u => u.GetProperty("correction").GetString() == "replaced", "the original marked as replaced at NAV");
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("workCapacity").ValueKind);
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("diagnoses").ValueKind);
        Assert.StartsWith("Erstattet av en rettet versjon fra fastlegen", replaced.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var replacedCall = await RetractionCallAsync(originalAtNav);
        Assert.True(replacedCall.GetProperty("withdrawn").GetBoolean());
        var osloReplaced = await CertificateAsync(HubRoles.MunicipalCaseworker, Oslo, FirstIssue, u => u.GetProperty("correction").GetString() == "replaced", "the original marked as replaced at Oslo");
        Assert.Equal(JsonValueKind.Null, osloReplaced.GetProperty("workCapacity").ValueKind);

        // Entered in error: the amended one is withdrawn everywhere too.
        await PostBundleAsync($"urn:uuid:{Guid.NewGuid()}", amendedAt.AddHours(1), "entered-in-error", replaces: amended);
        var withdrawn = await CertificateAsync(HubRoles.NavAdvisor, Office, amendedAt, u => u.GetProperty("correction").GetString() == "withdrawn-by-source", "the amended one withdrawn at NAV");
        Assert.StartsWith("Trukket tilbake av fastlegen", withdrawn.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, withdrawn.GetProperty("workCapacity").ValueKind);
        await CertificateAsync(HubRoles.MunicipalCaseworker, Oslo, amendedAt, u => u.GetProperty("correction").GetString() == "withdrawn-by-source", "the amended one withdrawn at Oslo");
        await Eventually.WaitForAsync(
            () => Task.FromResult(_webhook.Processed.Values.Count(b => b.TryGetProperty("updateId", out var id) && id.GetString() == replacement.GetProperty("updateId").GetString())),
            n => n == 1,
            "the amended one pushed to NAV");
        await RetractionCallAsync(replacement.GetProperty("updateId").GetString()!);

        // The timeline a new advisor would read shows the corrections, never the old content.
        var (_, timeline) = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/timeline", HubRoles.NavAdvisor, Office);
        var certificates = timeline.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "medical-certificate").Select(e => e.GetProperty("summary").GetString()!).ToList();
        Assert.Equal(2, certificates.Count);
        Assert.Contains(certificates, s => s.StartsWith("Erstattet av en rettet versjon fra fastlegen", StringComparison.Ordinal));
        Assert.Contains(certificates, s => s.StartsWith("Trukket tilbake av fastlegen", StringComparison.Ordinal));
        Assert.DoesNotContain("P15", timeline.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, _webhook.Repeats);
    }
}
