using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Routing.Tests;

/// <summary>The consent API through the real pipeline, with the events observed on the bus.</summary>
public sealed class ConsentApiTests : IAsyncLifetime
{
    private const string Kari = "12039140045";
    private const string Ola = "05065066671";
    private HubTestServer _hub = null!;
    private BusObserver _bus = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubTestServer.StartAsync();
        _bus = await BusObserver.StartAsync(_hub.Services, (observer, e) =>
        {
            e.Handler<ConsentGranted>(context => observer.Record(context.Message));
            e.Handler<ConsentWithdrawn>(context => observer.Record(context.Message));
        });
        await FollowAsync(Kari);
        await FollowAsync(Ola);
    }

    /// <summary>Only the care team records consent: NAV 0314 (an open case) and Oslo follow the person.</summary>
    private async Task FollowAsync(string identifier)
    {
        var opened = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = "case-opened",
            ["occurredAt"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["caseId"] = $"AAP-{identifier}",
            ["navOffice"] = "0314",
            ["advisor"] = "Z990123",
            ["caseType"] = "arbeidsavklaring",
        };
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", opened, HubRoles.NavSystem, "nav")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/municipal/persons",
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = identifier }, ["service"] = "addiction" }, HubRoles.MunicipalCaseworker, "0301")).Status);
        var key = await PersonKeyAsync(identifier);
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<Persistence.RoutingDbContext>().CareTeam.CountAsync(m => m.PersonKey == key);
            },
            n => n == 2,
            "NAV and Oslo in the care team");
    }

    public async Task DisposeAsync()
    {
        await _bus.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private static JsonObject Consent(Action<JsonObject>? change = null)
    {
        var body = ConsentRequests.GivenInPerson(Kari, ["nav", "municipality:0301"], ["contact-status", "work-capacity"]);
        change?.Invoke(body);
        return body;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string role = HubRoles.Coordinator, string? party = "0301")
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<string> PersonKeyAsync(string identifier) =>
        (await SendAsync(HttpMethod.Post, "/persons/key", new JsonObject { ["identifier"] = identifier })).Body.GetProperty("personKey").GetString()!;

    [Fact]
    public async Task Consent_given_in_person_with_a_witness_is_registered_and_published()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent());

        Assert.Equal(HttpStatusCode.Created, status);
        var consentId = body.GetProperty("consentId").GetGuid();
        Assert.Equal(await PersonKeyAsync(Kari), body.GetProperty("personKey").GetString());
        var granted = await _bus.WaitForAsync<ConsentGranted>(g => g.ConsentId == consentId);
        Assert.Equal([new ConsentRecipient(PartyKind.Nav, null), new ConsentRecipient(PartyKind.Municipality, "0301")], granted.Recipients);
        Assert.Equal(["contact-status", "work-capacity"], granted.Categories);
        Assert.Equal("in-person", granted.ObtainedVia);
        Assert.Equal("coord-7", granted.WitnessedBy);
        Assert.Equal("dev-coordinator", granted.RecordedBy);
    }

    [Theory]
    [InlineData("in-person")]
    [InlineData("phone")]
    public async Task Consent_in_person_or_by_phone_without_a_witness_is_rejected(string channel)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent(c =>
        {
            c["obtainedVia"] = channel;
            c.Remove("witnessedBy");
        }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("witnessedBy", out _));
    }

    [Fact]
    public async Task Digital_consent_needs_no_witness()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/consents", Consent(c =>
        {
            c["obtainedVia"] = "digital";
            c.Remove("witnessedBy");
        }));

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Theory]
    [InlineData("validUntil", "2026-01-01", "validFrom", "2026-01-01", "validUntil")]
    [InlineData("validUntil", "2025-12-31", "validFrom", "2026-01-01", "validUntil")]
    [InlineData("purpose", "marketing", "purpose", "marketing", "purpose")]
    [InlineData("obtainedVia", "telepathy", "obtainedVia", "telepathy", "obtainedVia")]
    public async Task Invalid_field_is_rejected_naming_it(string field, string value, string otherField, string otherValue, string expectedError)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent(c =>
        {
            c[field] = value;
            c[otherField] = otherValue;
        }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(expectedError, out _), body.ToString());
    }

    [Fact]
    public async Task Unknown_category_is_rejected()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent(c => c["categories"] = new JsonArray("contact-status", "criminal-record")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("criminal-record", body.GetProperty("errors").GetProperty("categories")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("municipality", null, "recipients[1].unit")]
    [InlineData("municipality", "301", "recipients[1].unit")]
    [InlineData("gp", null, "recipients[1].unit")]
    [InlineData("gp", "HER-90128", "recipients[1].unit")]
    [InlineData("nav", "Oslo", "recipients[1].unit")]
    [InlineData("employer", "0301", "recipients[1].party")]
    [InlineData("nav", null, "recipients[1]")]
    public async Task A_recipient_without_the_unit_it_needs_is_refused_naming_the_field(string party, string? unit, string field)
    {
        var recipient = new JsonObject { ["party"] = party };
        if (unit is not null)
        {
            recipient["unit"] = unit;
        }

        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent(c => c["recipients"] = new JsonArray(new JsonObject { ["party"] = "nav" }, recipient)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task A_recipient_named_as_a_bare_kind_of_party_is_a_clear_400()
    {
        // The shape before units: "recipients": ["municipality"]. It must not pass as a consent to every municipality.
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent(c => c["recipients"] = new JsonArray("municipality")));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("title", out _), $"not problem details: {body}");
    }

    [Fact]
    public async Task Listing_names_each_unit_in_bokmal()
    {
        const string person = Ola;
        var key = await PersonKeyAsync(person);
        await SendAsync(HttpMethod.Post, "/consents", Consent(c =>
        {
            c["person"]!["identifier"] = person;
            c["recipients"] = ConsentRequests.Recipients(["nav", "municipality:0301", "gp:90128"]);
        }));

        var (_, list) = await SendAsync(HttpMethod.Get, $"/persons/{key}/consents");

        var names = list.EnumerateArray().Single().GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("name").GetString());
        Assert.Equal(["NAV-kontoret som følger opp saken", "Oslo kommune (0301)", "fastlegekontoret (HER-id 90128)"], names);
    }

    [Fact]
    public async Task Invalid_person_identifier_is_rejected()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", Consent(c => c["person"]!["identifier"] = "12039140046"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("person.identifier", out _));
        Assert.DoesNotContain("12039140046", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_date_is_400_not_500()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/consents", Consent(c => c["validFrom"] = "21.11.2026"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Withdrawal_is_published_once_and_a_second_one_says_so()
    {
        var consentId = (await SendAsync(HttpMethod.Post, "/consents", Consent())).Body.GetProperty("consentId").GetGuid();
        var withdrawal = new JsonObject { ["via"] = "phone", ["recordedBy"] = "coord-7" };

        var first = await SendAsync(HttpMethod.Post, $"/consents/{consentId}/withdraw", withdrawal);
        var second = await SendAsync(HttpMethod.Post, $"/consents/{consentId}/withdraw", withdrawal.DeepClone());

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Body.GetProperty("alreadyWithdrawn").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.True(second.Body.GetProperty("alreadyWithdrawn").GetBoolean());
        Assert.Equal(first.Body.GetProperty("withdrawnAt").GetDateTimeOffset(), second.Body.GetProperty("withdrawnAt").GetDateTimeOffset());
        var withdrawn = await _bus.WaitForAsync<ConsentWithdrawn>(w => w.ConsentId == consentId);
        Assert.Equal("phone", withdrawn.Via);
        Assert.Single(_bus.Messages.OfType<ConsentWithdrawn>(), w => w.ConsentId == consentId);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/consents/{Guid.NewGuid()}/withdraw", withdrawal.DeepClone())).Status);
    }

    [Fact]
    public async Task Listing_shows_each_consent_with_its_status_and_who_obtained_it()
    {
        const string person = Ola;
        var key = await PersonKeyAsync(person);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(HttpMethod.Post, "/consents", Consent(c => c["person"]!["identifier"] = person), role: HubRoles.NavAdvisor, party: "0314");
        await SendAsync(HttpMethod.Post, "/consents", Consent(c =>
        {
            c["person"]!["identifier"] = person;
            c["validFrom"] = Day(-400);
            c["validUntil"] = Day(-30);
        }));
        await SendAsync(HttpMethod.Post, "/consents", Consent(c =>
        {
            c["person"]!["identifier"] = person;
            c["validFrom"] = Day(30);
            c["validUntil"] = Day(300);
        }));

        var (status, list) = await SendAsync(HttpMethod.Get, $"/persons/{key}/consents", role: HubRoles.MunicipalCaseworker);

        Assert.Equal(HttpStatusCode.OK, status);
        var statuses = list.EnumerateArray().Select(c => c.GetProperty("status").GetString()).Order().ToList();
        Assert.Equal(["active", "expired", "not-yet-valid"], statuses);
        var byAdvisor = list.EnumerateArray().Single(c => c.GetProperty("recordedByRole").GetString() == HubRoles.NavAdvisor);
        Assert.True(byAdvisor.GetProperty("obtainedByRecipientStaff").GetBoolean());
        Assert.Equal("0314", byAdvisor.GetProperty("recordedByParty").GetString());
        Assert.All(
            list.EnumerateArray().Where(c => c.GetProperty("recordedByRole").GetString() == HubRoles.Coordinator),
            c => Assert.False(c.GetProperty("obtainedByRecipientStaff").GetBoolean()));
    }

    [Fact]
    public async Task Listing_is_audited()
    {
        var key = await PersonKeyAsync(Kari);
        await SendAsync(HttpMethod.Get, $"/persons/{key}/consents");

        // One entry for the key lookup, one for the listing.
        var report = await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, "/admin/audit/verify", role: HubRoles.HubAdmin)).Body,
            r => r.GetProperty("entriesChecked").GetInt64() >= 2,
            "the audit entries");
        Assert.True(report.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Systems_may_not_register_consent_and_a_bad_person_key_is_400()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/consents", Consent(), role: HubRoles.GpSystem)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, $"/persons/{Kari}/consents")).Status);
    }
}
