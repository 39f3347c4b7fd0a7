using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.EndToEnd;

/// <summary>
/// The hub's reason to exist, end to end over RabbitMQ: a person stops being reached, a human
/// coordinator is told, makes real contact, and the NAV advisor and the caseworker hear of it.
/// </summary>
public sealed class EscalationEndToEndTests : IAsyncLifetime
{
    private const string Kari = "12039140045";
    private const string NavOffice = "0314";
    private const string Oslo = "0301";
    private HubTestServer _hub = null!;

    public async Task InitializeAsync()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("escalation");
        _hub = await HubTestServer.StartAsync(
            "--transport", "rabbitmq",
            $"--Hub:RabbitMq:Host={rabbitMq.Host}",
            $"--Hub:RabbitMq:Port={rabbitMq.Port}",
            $"--Hub:RabbitMq:VirtualHost={rabbitMq.VirtualHost}");
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null)
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    private static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private Task NavEventAsync(string type, DateTimeOffset at, Action<JsonObject> extra)
    {
        var ev = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["occurredAt"] = Instant(at),
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["caseId"] = "AAP-2026-000123",
            ["navOffice"] = NavOffice,
            ["advisor"] = "Z990123",
        };
        extra(ev);
        return SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", ev);
    }

    private async Task<List<JsonElement>> InboxAsync(string role, string party, string kind) =>
        await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, "/inbox", role, party)).GetProperty("persons").EnumerateArray()
                .SelectMany(p => p.GetProperty("updates").EnumerateArray()).Where(u => u.GetProperty("kind").GetString() == kind).ToList(),
            updates => updates.Count > 0,
            $"{kind} in the {role} inbox");

    [Fact]
    public async Task A_person_not_reached_is_escalated_followed_up_by_a_home_visit_and_both_parties_hear_of_it()
    {
        var now = DateTimeOffset.UtcNow;
        var personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, Oslo, new JsonObject { ["identifier"] = Kari })).GetProperty("personKey").GetString()!;
        await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Oslo,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = Kari }, ["service"] = "addiction" });

        // 1. NAV: the case opened 20 days ago; a message sent 10 days ago stays unread; a meeting is missed.
        await NavEventAsync("case-opened", now.AddDays(-20), e => e["caseType"] = "arbeidsavklaring");
        await NavEventAsync("message-sent", now.AddDays(-10), e => { e["messageId"] = "m-1"; e["channel"] = "activity-plan-dialogue"; });
        await NavEventAsync("meeting-missed", now.AddDays(-2), e => e["meetingId"] = "meeting-1");

        // 2. The municipality: not reached, phone lost.
        await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Oslo, new JsonObject
        {
            ["noteId"] = Guid.NewGuid().ToString(),
            ["municipality"] = Oslo,
            ["caseworker"] = "rus-oslo-0042",
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["recordedAt"] = Instant(now.AddDays(-1)),
            ["service"] = "addiction",
            ["contact"] = new JsonObject { ["outcome"] = "not-reached", ["channel"] = "phone" },
            ["signals"] = new JsonArray("phone-lost"),
        });

        // 3. The escalation is on the coordinator's worklist, with its reasons in plain words.
        var item = await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, Oslo)).EnumerateArray()
                .FirstOrDefault(i => i.GetProperty("personKey").GetString() == personKey),
            // The signals come on queues of their own, in any order: wait until every one has counted.
            i => i.ValueKind == JsonValueKind.Object
                && new[] { "follow-up-clock", "message-unread", "reach-signal" }.All(code => i.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("code").GetString() == code)),
            "the escalation on the worklist, with the unread message and the municipal signal among its reasons");
        var reach = await SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.Coordinator, Oslo);
        Assert.Equal("at-risk", reach.GetProperty("status").GetString());

        // 4. The coordinator takes it and reaches the person by a home visit.
        var escalation = item.GetProperty("escalationId").GetString();
        await SendAsync(HttpMethod.Post, $"/coordination/escalations/{escalation}/acknowledge", HubRoles.Coordinator, Oslo);
        await SendAsync(HttpMethod.Post, $"/coordination/escalations/{escalation}/contact-attempts", HubRoles.Coordinator, Oslo,
            new JsonObject { ["channel"] = "phone", ["outcome"] = "not-reached" });
        await SendAsync(HttpMethod.Post, $"/coordination/escalations/{escalation}/contact-attempts", HubRoles.Coordinator, Oslo,
            new JsonObject { ["channel"] = "home-visit", ["outcome"] = "reached", ["note"] = "Met at the shelter." });
        var resolved = await SendAsync(HttpMethod.Post, $"/coordination/escalations/{escalation}/resolve", HubRoles.Coordinator, Oslo,
            new JsonObject { ["resolution"] = "reached", ["note"] = "Agreed on phone calls via the shelter until the phone is replaced." });
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());

        // 5. The NAV advisor and the caseworker get the escalation and its resolution in their inboxes.
        foreach (var (role, party) in new[] { (HubRoles.NavAdvisor, NavOffice), (HubRoles.MunicipalCaseworker, Oslo) })
        {
            var raised = Assert.Single(await InboxAsync(role, party, "escalation-raised"));
            Assert.Contains("ikke grunnlag for tiltak", raised.GetProperty("contact").GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("telefon", raised.GetProperty("contact").GetProperty("summary").GetString(), StringComparison.OrdinalIgnoreCase);
            var resolution = Assert.Single(await InboxAsync(role, party, "escalation-resolved"));
            Assert.Contains("hjemmebesøk", resolution.GetProperty("contact").GetProperty("summary").GetString(), StringComparison.Ordinal);
        }

        var after = await SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, Oslo);
        Assert.DoesNotContain(after.EnumerateArray(), i => i.GetProperty("personKey").GetString() == personKey);
    }
}
