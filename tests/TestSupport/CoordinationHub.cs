using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.TestSupport;

/// <summary>A running hub on a clock the test moves, with the calls that set up people to follow (NAV events, municipal notes).</summary>
public sealed class CoordinationHub(HubTestServer hub, ManualTimeProvider clock)
{
    public const string Kari = "12039140045";
    public const string NavOffice = "0314";
    public const string Municipality = "0301";

    /// <summary>A coordinator working for the NAV office of every case this hub's helpers open.</summary>
    public const string NavCoordinator = $"nav:{NavOffice}";

    public HubTestServer Server => hub;

    public ManualTimeProvider Clock => clock;

    public DateTimeOffset Now => clock.GetUtcNow();

    public static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string? party = null, JsonNode? body = null)
    {
        using var request = hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public async Task<string> PersonKeyAsync(string identifier = Kari) =>
        (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, body: new JsonObject { ["identifier"] = identifier })).Body.GetProperty("personKey").GetString()!;

    public async Task NavEventAsync(string type, DateTimeOffset at, Action<JsonObject>? extra = null, string identifier = Kari)
    {
        var ev = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["occurredAt"] = Instant(at),
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["caseId"] = $"AAP-{identifier}",
            ["navOffice"] = NavOffice,
            ["advisor"] = "Z990123",
        };
        extra?.Invoke(ev);
        var (status, body) = await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", ev);
        Accepted(status, body);
    }

    public Task CaseOpenedAsync(DateTimeOffset at, string identifier = Kari) => NavEventAsync("case-opened", at, e => e["caseType"] = "arbeidsavklaring", identifier);

    /// <summary>A case opened with the name NAV holds from the population register.</summary>
    public Task CaseOpenedAsync(DateTimeOffset at, string given, string family, string identifier = Kari) => NavEventAsync("case-opened", at, e =>
    {
        e["caseType"] = "arbeidsavklaring";
        e["person"]!["name"] = new JsonObject { ["given"] = given, ["family"] = family };
    }, identifier);

    /// <summary>
    /// Kari Nordmann, followed by NAV office <see cref="NavOffice"/> and Oslo's addiction service, with a
    /// note from Oslo (reached by outreach, <paramref name="noteText"/>) and a GP's certificate: something
    /// about her in every module.
    /// </summary>
    public async Task NamedAndFollowedWithANoteAndACertificateAsync(string noteText)
    {
        await CaseOpenedAsync(Now.AddDays(-3), "Kari", "Nordmann");
        await MunicipalRegistrationAsync();
        var (noted, body) = await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Municipality, new JsonObject
        {
            ["noteId"] = Guid.NewGuid().ToString(),
            ["municipality"] = Municipality,
            ["caseworker"] = "rus-oslo-0042",
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["recordedAt"] = Instant(Now.AddDays(-1)),
            ["service"] = "addiction",
            ["contact"] = new JsonObject { ["outcome"] = "reached", ["channel"] = "outreach" },
            ["signals"] = new JsonArray("phone-lost"),
            ["text"] = noteText,
        });
        Accepted(noted, body);
        await SendCertificateAsync(Kari, Now.AddHours(-5));
        await SettleAsync();
    }

    /// <summary>A GP office (HER-id 90128) sends a new certificate for the person.</summary>
    public async Task SendCertificateAsync(string identifier, DateTimeOffset issuedAt)
    {
        using var request = hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(CertificateExamples.NewFor(identifier, issuedAt), System.Text.Encoding.UTF8, "application/fhir+json"));
        using var response = await hub.Client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"The hub answered {(int)response.StatusCode} to the certificate: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A caseworker of <see cref="Municipality"/> registers that its service follows the person.</summary>
    public async Task MunicipalRegistrationAsync(string identifier = Kari, string service = "addiction")
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Municipality, new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["service"] = service,
        });
        if (status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"The hub answered {(int)status}: {body}");
        }
    }

    public Task ContactAsync(DateTimeOffset at, bool succeeded = true, string identifier = Kari) => NavEventAsync("contact-registered", at, e =>
    {
        e["channel"] = "phone";
        e["direction"] = "outbound";
        e["succeeded"] = succeeded;
    }, identifier);

    public async Task MunicipalNoteAsync(DateTimeOffset at, string outcome, params string[] signals)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Municipality, new JsonObject
        {
            ["noteId"] = Guid.NewGuid().ToString(),
            ["municipality"] = Municipality,
            ["caseworker"] = "rus-oslo-0042",
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["recordedAt"] = Instant(at),
            ["service"] = "addiction",
            ["contact"] = new JsonObject { ["outcome"] = outcome, ["channel"] = "phone" },
            ["signals"] = new JsonArray([.. signals.Select(s => (JsonNode)s)]),
            ["startFollowUp"] = true,
        });
        Accepted(status, body);
    }

    private static void Accepted(HttpStatusCode status, JsonElement body)
    {
        if (status != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The hub answered {(int)status}: {body}");
        }
    }

    public async Task<T> QueryAsync<T>(Func<CoordinationDbContext, Task<T>> query)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CoordinationDbContext>());
    }

    /// <summary>Waits until coordination has handled everything sent so far: no outbox row of any module is still due.</summary>
    public async Task SettleAsync()
    {
        await NothingDueAsync();
        await SignalPathDrainedAsync();
    }

    /// <summary>
    /// Signals reach coordination through routing: every signal NAV and the municipalities sent has
    /// been consumed by routing, and everything routing sent coordination has been consumed there,
    /// counted by message id in the outboxes and inboxes, not by waiting.
    /// </summary>
    private Task SignalPathDrainedAsync() =>
        Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = hub.Services.CreateAsyncScope();
                var routing = scope.ServiceProvider.GetRequiredService<Routing.Persistence.RoutingDbContext>();
                var coordination = scope.ServiceProvider.GetRequiredService<CoordinationDbContext>();
                var signals = new List<Guid>();
                foreach (var source in new Messaging.MessagingDbContext[]
                {
                    scope.ServiceProvider.GetRequiredService<NavCases.Persistence.NavCasesDbContext>(),
                    scope.ServiceProvider.GetRequiredService<MunicipalFollowUp.Persistence.MunicipalDbContext>(),
                })
                {
                    signals.AddRange(await source.OutboxMessages.Where(m => m.DispatchedAt != null
                        && (m.MessageType.Contains(nameof(Contracts.EngagementSignalObserved)) || m.MessageType.Contains(nameof(Contracts.ContactAttempted))))
                        .Select(m => m.MessageId).ToListAsync());
                }

                var routed = await routing.InboxMessages.Where(m => signals.Contains(m.MessageId)).Select(m => m.MessageId).Distinct().CountAsync();
                var delivered = await routing.OutboxMessages.Where(m => m.Destination == Contracts.DeliveryQueues.Coordination).Select(m => m.MessageId).ToListAsync();
                var received = await coordination.InboxMessages.CountAsync(m => delivered.Contains(m.MessageId));
                return routed == signals.Count && received == delivered.Count;
            },
            drained => drained,
            "every signal through routing to coordination");

    private async Task NothingDueAsync()
    {
        await Eventually.WaitForAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                var pending = 0;
                await using var scope = hub.Services.CreateAsyncScope();
                foreach (var context in new Microsoft.EntityFrameworkCore.DbContext[]
                {
                    scope.ServiceProvider.GetRequiredService<CoordinationDbContext>(),
                    scope.ServiceProvider.GetRequiredService<NavCases.Persistence.NavCasesDbContext>(),
                    scope.ServiceProvider.GetRequiredService<MunicipalFollowUp.Persistence.MunicipalDbContext>(),
                    scope.ServiceProvider.GetRequiredService<Routing.Persistence.RoutingDbContext>(),
                })
                {
                    pending += await ((Messaging.MessagingDbContext)context).OutboxMessages.CountAsync(m => m.DispatchedAt == null && m.DueAt <= now);
                }

                return pending;
            },
            pending => pending == 0,
            "every due message dispatched");
        // Dispatched is not yet consumed: give the consumers a moment.
        await Task.Delay(400);
    }

    public Task<List<Escalation>> EscalationsAsync(string personKey) =>
        QueryAsync(db => db.Escalations.AsNoTracking().Where(e => e.PersonKey == personKey).ToListAsync());

    public async Task<Escalation> WaitForEscalationAsync(string personKey, Func<Escalation, bool>? match = null) =>
        (await Eventually.WaitForAsync(
            async () => (await EscalationsAsync(personKey)).FirstOrDefault(e => match?.Invoke(e) ?? true),
            e => e is not null,
            "an escalation"))!;

    public Task<string> StatusAsync(string personKey) =>
        QueryAsync(db => db.Profiles.AsNoTracking().Where(p => p.PersonKey == personKey).Select(p => p.Status).SingleAsync());
}
