using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Routing.Tests;

/// <summary>
/// A GP certificate through the whole hub: the NAV office gets every category on its statutory
/// basis, the municipality only what the person consented to, and every decision is in the
/// disclosure log and the audit chain.
/// </summary>
public sealed class CertificateRoutingTests : IAsyncLifetime
{
    public const string RoutingOnly = "audit,gp-certificates,routing";
    private const string Kari = "12039140045";
    private HubTestServer _hub = null!;
    private BusObserver _nav = null!;
    private BusObserver _municipality = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        // Without the adapter modules: these tests stand in for them on their command queues.
        _hub = await HubTestServer.StartAsync("--modules", RoutingOnly);
        _nav = await BusObserver.StartAsync(_hub.Services, (o, e) => e.Handler<DeliverUpdate>(c => o.Record(c.Message)), DeliveryQueues.Nav);
        _municipality = await BusObserver.StartAsync(_hub.Services, (o, e) => e.Handler<DeliverUpdate>(c => o.Record(c.Message)), DeliveryQueues.Municipality);
        _personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, "0301", new JsonObject { ["identifier"] = Kari })).Body.GetProperty("personKey").GetString()!;

        // The care team, as the NAV and municipal modules will announce it.
        var bus = _hub.Services.GetRequiredService<IBus>();
        await bus.Publish(new AdvisorAssigned(Guid.NewGuid(), new PersonReference(_personKey), "AAP-2026-000123", "0314", "Z990123", null, DateTimeOffset.UtcNow));
        await bus.Publish(new MunicipalFollowUpStarted(Guid.NewGuid(), new PersonReference(_personKey), "0301", "rus-oslo-0042", "addiction", DateTimeOffset.UtcNow));
    }

    public async Task DisposeAsync()
    {
        await _nav.DisposeAsync();
        await _municipality.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null)
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, text);
    }

    private async Task<Guid> SendCertificateAsync()
    {
        var bundle = CertificateExamples.Mutated(b => b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}");
        using var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        using var response = await _hub.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.ToString()["/fhir/Bundle/".Length..]);
    }

    /// <summary>Both members arrive on queues of their own, in either order: wait for both.</summary>
    private async Task WaitForCareTeamAsync() =>
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                var routing = scope.ServiceProvider.GetRequiredService<Persistence.RoutingDbContext>();
                return await routing.CareTeam.Where(m => m.PersonKey == _personKey).Select(m => m.Kind).Distinct().CountAsync();
            },
            kinds => kinds == 2,
            "the NAV office and the municipality in the care team");

    [Fact]
    public async Task Without_consent_nav_gets_all_on_its_legal_basis_and_the_municipality_nothing()
    {
        await WaitForCareTeamAsync();

        var certificateId = await SendCertificateAsync();

        var toNav = await _nav.WaitForAsync<DeliverUpdate>(u => u.SourceEventId != Guid.Empty && u.Person.PersonKey == _personKey);
        Assert.Equal(new PartyReference(PartyKind.Nav, "0314"), toNav.Recipient);
        Assert.Equal("Z990123", toNav.RecipientUser);
        Assert.Equal(100m, toNav.WorkCapacity!.IncapacityPercent);
        Assert.Equal("P15", Assert.Single(toNav.Diagnoses!).Code);
        Assert.NotNull(toNav.Assessment);
        Assert.Empty(toNav.Withheld);
        Assert.All(toNav.Bases, b => Assert.Equal("folketrygdloven § 21-4", b.Reference));

        var log = await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.Coordinator, "0301")).Body,
            l => l.GetArrayLength() >= 6,
            "six disclosure lines");
        var municipal = log.EnumerateArray().Where(d => d.GetProperty("recipient").GetString() == "municipality").ToList();
        Assert.Equal(3, municipal.Count);
        Assert.All(municipal, d => Assert.Equal("withheld", d.GetProperty("outcome").GetString()));
        Assert.Empty(_municipality.Messages);
        Assert.NotEqual(Guid.Empty, certificateId);
    }

    [Fact]
    public async Task With_consent_for_work_capacity_the_municipality_gets_the_period_and_not_the_diagnosis()
    {
        await WaitForCareTeamAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var consent = new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["purpose"] = "coordinated-follow-up",
            ["recipients"] = ConsentRequests.Recipients(["municipality:0301"]),
            ["categories"] = new JsonArray("work-capacity"),
            ["validFrom"] = today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["validUntil"] = today.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["obtainedVia"] = "phone",
            ["witnessedBy"] = "coord-7",
        };
        // The certificate follows right after the 201, with no wait: the consent is in force for what is decided after it.
        var consentId = (await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, "0301", consent)).Body.GetProperty("consentId").GetGuid();

        await SendCertificateAsync();

        var toMunicipality = await _municipality.WaitForAsync<DeliverUpdate>(u => u.Person.PersonKey == _personKey);
        Assert.Equal(new PartyReference(PartyKind.Municipality, "0301"), toMunicipality.Recipient);
        Assert.Equal("rus-oslo-0042", toMunicipality.RecipientUser);
        Assert.Equal(new WorkCapacity(new DateOnly(2026, 11, 20), new DateOnly(2027, 1, 31), 100m), toMunicipality.WorkCapacity);
        Assert.Null(toMunicipality.Diagnoses);
        Assert.Null(toMunicipality.Assessment);
        Assert.Equal([DataCategory.Diagnosis, DataCategory.MedicalAssessment], toMunicipality.Withheld.Select(w => w.Category).Order());
        var basis = Assert.Single(toMunicipality.Bases);
        Assert.Equal("samtykke", basis.Reference);
        Assert.Equal(consentId, basis.ConsentId);
    }

    [Fact]
    public async Task Disclosure_log_is_for_the_coordinator_and_the_persons_own_offices_and_every_read_is_audited()
    {
        await WaitForCareTeamAsync();
        await SendCertificateAsync();

        var ownAdvisor = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.NavAdvisor, "0314");
        var otherOffice = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.NavAdvisor, "1201");
        var otherMunicipality = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.MunicipalCaseworker, "4601");
        var gp = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.GpSystem, "90128");

        Assert.Equal(HttpStatusCode.OK, ownAdvisor.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherOffice.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherMunicipality.Status);
        Assert.Equal(HttpStatusCode.Forbidden, gp.Status);

        // Key lookup, the care-team waits, these reads (granted and refused), and the disclosures themselves.
        var report = await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, "/admin/audit/verify", HubRoles.HubAdmin, null)).Body,
            r => r.GetProperty("entriesChecked").GetInt64() >= 10,
            "audit entries");
        Assert.True(report.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Printable_page_says_in_bokmal_what_was_shared_and_what_was_not()
    {
        await WaitForCareTeamAsync();
        await SendCertificateAsync();
        await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.Coordinator, "0301")).Body.GetArrayLength(),
            n => n >= 6,
            "the disclosure lines");

        var (status, _, page) = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures/print", HubRoles.Coordinator, "0301");
        var html = WebUtility.HtmlDecode(page);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"nb\">", html, StringComparison.Ordinal);
        Assert.Contains("Dette er delt om deg", html, StringComparison.Ordinal);
        Assert.Contains("NAV-kontoret (0314)", html, StringComparison.Ordinal);
        Assert.Contains("Loven tillater det (folketrygdloven § 21-4)", html, StringComparison.Ordinal);
        Assert.Contains("Ikke delt: ikke samtykke", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Kari, html, StringComparison.Ordinal);
    }
}

/// <summary>Consent expiry in the running hub, driven by its TimeProvider.</summary>
public sealed class ConsentExpiryRoutingTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private HubTestServer _hub = null!;
    private BusObserver _municipality = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubTestServer.StartAsync(_clock, "--modules", CertificateRoutingTests.RoutingOnly);
        _municipality = await BusObserver.StartAsync(_hub.Services, (o, e) => e.Handler<DeliverUpdate>(c => o.Record(c.Message)), DeliveryQueues.Municipality);
    }

    public async Task DisposeAsync()
    {
        await _municipality.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string role, string? party, HttpContent? content)
    {
        using var request = _hub.Request(method, path, role, party, content);
        return await _hub.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendCertificateAsync() =>
        SendAsync(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128", new StringContent(
            CertificateExamples.Mutated(b => b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}"), Encoding.UTF8)
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") },
        });

    [Fact]
    public async Task Consent_that_expires_stops_sharing_from_the_next_day()
    {
        using var keyResponse = await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, "0301", JsonContent.Create(new { identifier = "12039140045" }));
        var personKey = (await keyResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personKey").GetString()!;
        await _hub.Services.GetRequiredService<IBus>().Publish(
            new MunicipalFollowUpStarted(Guid.NewGuid(), new PersonReference(personKey), "0301", "rus-oslo-0042", "addiction", _clock.GetUtcNow()));
        // Only the care team records consent: wait until routing knows Oslo follows the person.
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                var routing = scope.ServiceProvider.GetRequiredService<Persistence.RoutingDbContext>();
                return await routing.CareTeam.AnyAsync(m => m.PersonKey == personKey);
            },
            known => known,
            "routing to know the care team");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), ConsentGranted.Norway).DateTime);
        using var consent = await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, "0301", JsonContent.Create(new
        {
            person = new { identifier = "12039140045" },
            purpose = "coordinated-follow-up",
            recipients = new[] { new { party = "municipality", unit = "0301" } },
            categories = new[] { "work-capacity" },
            validFrom = today.AddDays(-10),
            validUntil = today,
            obtainedVia = "in-person",
            witnessedBy = "coord-7",
        }));
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);

        using (var first = await SendCertificateAsync())
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        await _municipality.WaitForAsync<DeliverUpdate>(u => u.WorkCapacity is not null);

        // Two days on it has expired: the next certificate is logged as withheld and not sent.
        _clock.Advance(TimeSpan.FromDays(2));
        var delivered = _municipality.Messages.Count;
        using var late = await SendCertificateAsync();
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        var log = await Eventually.WaitForAsync(
            async () => await (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/disclosures", HubRoles.Coordinator, "0301", null)).Content.ReadFromJsonAsync<JsonElement>(),
            l => l.EnumerateArray().Any(d => d.GetProperty("outcome").GetString() == "withheld" && d.GetProperty("category").GetString() == "work-capacity"),
            "the withheld line after expiry");
        Assert.Contains(log.EnumerateArray(), d => d.GetProperty("outcome").GetString() == "delivered" && d.GetProperty("category").GetString() == "work-capacity");
        Assert.Equal(delivered, _municipality.Messages.Count);
    }
}
