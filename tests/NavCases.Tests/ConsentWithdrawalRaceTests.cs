using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.NavCases.Tests.NavEventBuilder;

namespace IntegrationHub.NavCases.Tests;

/// <summary>
/// 1,000 updates for one person are in flight when the person withdraws consent. Nothing decided
/// after the withdrawal is shared under it; what was decided before is delivered if the advisor
/// had read it, and retracted otherwise (from the inbox, and with a retraction call to the webhook
/// that had it). The disclosure log agrees update by update. Work capacity is consent-based for
/// NAV in this table, so the race shows; the diagnosis stays statutory, so every update still has
/// something to deliver.
/// </summary>
public sealed class ConsentWithdrawalRaceTests : IAsyncLifetime
{
    private const int Updates = 1000;

    /// <summary>A coordinator working for the NAV office that follows Kari.</summary>
    private const string Coordinator = $"nav:{Office}";
    private LoopbackWebhookReceiver _webhook = null!;
    private HubTestServer _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _webhook = await LoopbackWebhookReceiver.StartAsync();
        _hub = await HubTestServer.StartAsync(
            $"--NavCases:Webhook:Url={_webhook.Url}",
            "--NavCases:Webhook:PollInterval=00:00:00.100",
            "--Routing:LegalBases:0:Source=gp",
            "--Routing:LegalBases:0:Recipient=nav",
            "--Routing:LegalBases:0:Category=work-capacity",
            "--Routing:LegalBases:0:Basis=consent",
            "--Routing:LegalBases:0:Reference=samtykke",
            "--Routing:LegalBases:1:Source=gp",
            "--Routing:LegalBases:1:Recipient=nav",
            "--Routing:LegalBases:1:Category=diagnosis",
            "--Routing:LegalBases:1:Basis=statutory",
            "--Routing:LegalBases:1:Reference=folketrygdloven § 21-4");
        _personKey = (await PostAsync("/persons/key", HubRoles.Coordinator, new JsonObject { ["identifier"] = Kari })).GetProperty("personKey").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _webhook.DisposeAsync();
    }

    private async Task<JsonElement> PostAsync(string path, string role, JsonNode body, string? party = null)
    {
        using var request = _hub.Request(HttpMethod.Post, path, role, party, JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<T> QueryAsync<TContext, T>(Func<TContext, Task<T>> query)
        where TContext : DbContext
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    [Fact]
    public async Task Withdrawn_consent_stops_updates_already_queued()
    {
        await PostAsync("/nav/events", HubRoles.NavSystem, CaseOpened(DateTimeOffset.UtcNow.AddDays(-3)), "nav");
        await Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, bool>(r => r.CareTeam.AnyAsync(m => m.PersonKey == _personKey)),
            ready => ready,
            "routing to know the NAV office");
        var consentId = (await PostAsync("/consents", HubRoles.Coordinator, ConsentRequests.GivenInPerson(Kari, ["nav"], ["work-capacity"]), Coordinator)).GetProperty("consentId").GetString()!;

        var bus = _hub.Services.GetRequiredService<IBus>();
        var person = new PersonReference(_personKey);
        var author = new CertificateAuthor("9144889", "90128", "974600951", "Legekontoret");
        var from = DateOnly.FromDateTime(DateTime.UtcNow);
        await Task.WhenAll(Enumerable.Range(0, Updates).Select(i => bus.Publish(new MedicalCertificateReceived(
            Guid.NewGuid(), person, CertificateKind.Legeerklaering, author, DateTimeOffset.UtcNow, null,
            new WorkCapacity(from, from.AddDays(14 + (i % 30)), 100m), [new DiagnosisEntry("urn:oid:2.16.578.1.12.4.1.1.7170", "P15", null)], null))));

        // The advisor reads the first few; then the person withdraws while the rest are on their way.
        var first = await Eventually.WaitForAsync(
            () => QueryAsync<NavCasesDbContext, List<Guid>>(n => n.DeliveredUpdates.OrderBy(u => u.StoredAt).Select(u => u.Id).Take(50).ToListAsync()),
            ids => ids.Count >= 50,
            "the first updates at NAV");
        var read = first.Take(10).ToHashSet();
        foreach (var id in read)
        {
            await PostAsync($"/inbox/{id}/ack", HubRoles.NavAdvisor, new JsonObject(), Office);
        }

        var withdrawal = await PostAsync($"/consents/{consentId}/withdraw", HubRoles.Coordinator, new JsonObject { ["via"] = "phone" }, Coordinator);
        var withdrawnAt = withdrawal.GetProperty("withdrawnAt").GetDateTimeOffset();

        await Eventually.WaitForAsync(
            () => QueryAsync<NavCasesDbContext, int>(n => n.DeliveredUpdates.CountAsync(u => u.Kind == "medical-certificate")),
            n => n == Updates,
            "every update stored at NAV",
            TimeSpan.FromMinutes(3));

        // The log: decided before the withdrawal, delivered (read) or retracted; after it, withheld.
        var log = await Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, List<Routing.Domain.Disclosure>>(r =>
                r.Disclosures.AsNoTracking().Where(d => d.PersonKey == _personKey && d.Category == DataCategory.WorkCapacity).ToListAsync()),
            l => l.Count == Updates && l.Count(d => d.Outcome == "retracted") == l.Count(d => d.Delivered) - read.Count,
            "every update decided before the withdrawal and not read to be retracted",
            TimeSpan.FromMinutes(2));
        Assert.All(log.Where(d => d.DecidedAt >= withdrawnAt), d => Assert.Equal("withheld", d.Outcome));
        Assert.All(log.Where(d => !d.Delivered), d => Assert.Contains("samtykke", d.BasisOrReason, StringComparison.Ordinal));
        Assert.All(log.Where(d => d.Delivered), d => Assert.True(d.DecidedAt < withdrawnAt, $"update {d.UpdateId} shared at {d.DecidedAt:O}, withdrawn {withdrawnAt:O}"));
        Assert.All(log, d => Assert.Equal(read.Contains(d.UpdateId) ? "delivered" : d.Outcome == "withheld" ? "withheld" : "retracted", d.Outcome));
        // Not vacuous: the withdrawal raced updates on both sides of it.
        Assert.Contains(log, d => d.Outcome == "retracted");
        Assert.Contains(log, d => d.Outcome == "withheld");

        // NAV's inbox agrees, update by update: work capacity stays only where the advisor had read it.
        var stored = await QueryAsync<NavCasesDbContext, List<DeliveredUpdate>>(n => n.DeliveredUpdates.AsNoTracking().Where(u => u.Kind == "medical-certificate").ToListAsync());
        var withCapacity = stored.Where(u => UpdateInbox<NavCasesDbContext>.Read(u).WorkCapacity is not null).Select(u => u.Id).ToHashSet();
        Assert.Equal(read.Order(), withCapacity.Order());

        // The webhook: every update pushed once, and each retracted one it had carried with work capacity got a retraction call naming it.
        var retracted = log.Where(d => d.Outcome == "retracted").Select(d => d.UpdateId).ToHashSet();
        await Eventually.WaitForAsync(
            () => Task.FromResult(_webhook.Processed.Values.ToList()),
            bodies =>
            {
                var pushedWithCapacity = bodies.Where(b => b.TryGetProperty("workCapacity", out var c) && c.ValueKind == JsonValueKind.Object)
                    .Select(b => b.GetProperty("updateId").GetGuid()).Where(retracted.Contains).ToHashSet();
                var retractionCalls = bodies.Where(b => b.TryGetProperty("retracts", out _)).Select(b => b.GetProperty("retracts").GetGuid()).ToHashSet();
                return bodies.Count(b => b.TryGetProperty("updateId", out _)) == Updates && pushedWithCapacity.SetEquals(retractionCalls);
            },
            "every update pushed, and a retraction call for each retracted one the webhook had",
            TimeSpan.FromMinutes(3));
        Assert.Equal(0, _webhook.Repeats);
        Assert.All(
            _webhook.Processed.Values.Where(b => b.TryGetProperty("retracts", out _)),
            b => Assert.Equal(["work-capacity"], b.GetProperty("categories").EnumerateArray().Select(c => c.GetString())));
    }
}
