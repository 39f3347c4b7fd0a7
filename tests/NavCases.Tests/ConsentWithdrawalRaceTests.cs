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
/// 1,000 updates for one person are in flight when the person withdraws consent. Nothing under
/// the consent reaches NAV after the withdrawal instant, and every update is logged as delivered
/// (before) or withheld (after). Work capacity is consent-based for NAV in this table, so the
/// race shows; the diagnosis stays statutory, so every update still has something to deliver.
/// </summary>
public sealed class ConsentWithdrawalRaceTests : IAsyncLifetime
{
    private const int Updates = 1000;
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
        var consentId = (await PostAsync("/consents", HubRoles.Coordinator, ConsentRequests.GivenInPerson(Kari, ["nav"], ["work-capacity"]))).GetProperty("consentId").GetString()!;
        await Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, bool>(async r =>
                await r.CareTeam.AnyAsync(m => m.PersonKey == _personKey) && await r.Consents.AnyAsync(c => c.PersonKey == _personKey && c.Grant != null)),
            ready => ready,
            "routing to know the NAV office and the consent");

        var bus = _hub.Services.GetRequiredService<IBus>();
        var person = new PersonReference(_personKey);
        var author = new CertificateAuthor("9144889", "90128", "974600951", "Legekontoret");
        var from = DateOnly.FromDateTime(DateTime.UtcNow);
        await Task.WhenAll(Enumerable.Range(0, Updates).Select(i => bus.Publish(new MedicalCertificateReceived(
            Guid.NewGuid(), person, CertificateKind.Legeerklaering, author, DateTimeOffset.UtcNow, null,
            new WorkCapacity(from, from.AddDays(14 + (i % 30)), 100m), [new DiagnosisEntry("urn:oid:2.16.578.1.12.4.1.1.7170", "P15", null)], null))));

        // Withdraw while the updates are on their way through routing and the NAV adapter.
        await Eventually.WaitForAsync(() => QueryAsync<NavCasesDbContext, int>(n => n.DeliveredUpdates.CountAsync()), n => n >= 50, "the first updates at NAV");
        var withdrawal = await PostAsync($"/consents/{consentId}/withdraw", HubRoles.Coordinator, new JsonObject { ["via"] = "phone", ["recordedBy"] = "coord-7" });
        var withdrawnAt = withdrawal.GetProperty("withdrawnAt").GetDateTimeOffset();

        await Eventually.WaitForAsync(
            () => QueryAsync<NavCasesDbContext, int>(n => n.DeliveredUpdates.CountAsync()),
            n => n == Updates,
            "every update stored at NAV",
            TimeSpan.FromMinutes(3));
        var stored = await QueryAsync<NavCasesDbContext, List<DeliveredUpdate>>(n => n.DeliveredUpdates.AsNoTracking().ToListAsync());
        var withCapacity = stored.Where(u => UpdateInbox<NavCasesDbContext>.Read(u).WorkCapacity is not null).ToDictionary(u => u.Id);

        // Nothing under the consent was stored at or after the withdrawal instant.
        Assert.All(withCapacity.Values, u => Assert.True(u.StoredAt < withdrawnAt, $"update {u.Id} stored {u.StoredAt:O}, withdrawn {withdrawnAt:O}"));
        Assert.NotEmpty(withCapacity);
        Assert.True(withCapacity.Count < Updates, "the withdrawal came too late to race anything");

        // The disclosure log agrees with what NAV has, update by update, once the adapter's corrections are in.
        var log = await Eventually.WaitForAsync(
            () => QueryAsync<RoutingDbContext, List<Routing.Domain.Disclosure>>(r =>
                r.Disclosures.AsNoTracking().Where(d => d.PersonKey == _personKey && d.Category == DataCategory.WorkCapacity).ToListAsync()),
            l => l.Count == Updates && l.Count(d => d.Delivered) == withCapacity.Count,
            "the disclosure log to match NAV's inbox",
            TimeSpan.FromMinutes(1));
        Assert.All(log, d => Assert.Equal(d.Delivered, withCapacity.ContainsKey(d.UpdateId)));
        Assert.All(log.Where(d => !d.Delivered), d => Assert.Contains("samtykke", d.BasisOrReason, StringComparison.Ordinal));

        // The webhook only ever carried work capacity for updates delivered to the inbox before the
        // withdrawal: a push re-checks what the adapter knows, and never adds what the inbox lacks.
        await Eventually.WaitForAsync(() => Task.FromResult(_webhook.Processed.Count), n => n == Updates, "every update pushed", TimeSpan.FromMinutes(3));
        var pushedWithCapacity = _webhook.Processed
            .Where(p => p.Value.GetProperty("workCapacity").ValueKind == JsonValueKind.Object)
            .Select(p => Guid.Parse(p.Key))
            .ToList();
        Assert.All(pushedWithCapacity, id => Assert.Contains(id, withCapacity.Keys));
    }
}
