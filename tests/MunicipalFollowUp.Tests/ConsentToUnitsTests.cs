using System.Globalization;
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

namespace IntegrationHub.MunicipalFollowUp.Tests;

/// <summary>
/// A consent names units, it is in force from its answer, and a unit is in the care team only by
/// its own act and until its follow-up ends: the whole hub in one process, through its HTTP API.
/// </summary>
public sealed class ConsentToUnitsTests : IAsyncLifetime
{
    private const string Kari = "12039140045";
    private const string Oslo = "0301";
    private const string Bergen = "4601";
    private const string NavOffice = "0314";

    /// <summary>A coordinator working for the NAV office that follows Kari in every test here.</summary>
    private const string Coordinator = $"nav:{NavOffice}";
    private static readonly DateTimeOffset FirstIssue = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private HubTestServer _hub = null!;
    private string _personKey = null!;
    private int _certificates;

    public async Task InitializeAsync()
    {
        _hub = await HubTestServer.StartAsync();
        _personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, null, new JsonObject { ["identifier"] = Kari })).Body.GetProperty("personKey").GetString()!;
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null)
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private Task<bool> InCareTeamAsync(PartyKind kind, string unit) =>
        QueryAsync(r => r.CareTeam.AnyAsync(m => m.PersonKey == _personKey && m.Kind == kind && m.PartyId == unit));

    private async Task<T> QueryAsync<T>(Func<RoutingDbContext, Task<T>> query)
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<RoutingDbContext>());
    }

    private async Task FollowAsync(string municipality)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, municipality,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = Kari }, ["service"] = "addiction" });
        Assert.Equal(HttpStatusCode.Created, status);
        await Eventually.WaitForAsync(() => InCareTeamAsync(PartyKind.Municipality, municipality), known => known, $"{municipality} in the care team");
    }

    private async Task NavEventAsync(string type, Action<JsonObject>? extra = null)
    {
        var ev = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["occurredAt"] = FirstIssue.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["person"] = new JsonObject { ["identifier"] = Kari },
            ["caseId"] = "AAP-2026-000123",
            ["navOffice"] = NavOffice,
            ["advisor"] = "Z990123",
        };
        extra?.Invoke(ev);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", ev)).Status);
    }

    private async Task OpenNavCaseAsync()
    {
        await NavEventAsync("case-opened", e => e["caseType"] = "arbeidsavklaring");
        await Eventually.WaitForAsync(() => InCareTeamAsync(PartyKind.Nav, NavOffice), known => known, "the NAV office in the care team");
    }

    private async Task<Guid> GrantAsync(params string[] recipients)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, Coordinator, ConsentRequests.GivenInPerson(Kari, recipients, ["work-capacity"]));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("consentId").GetGuid();
    }

    /// <summary>Sends a new certificate and answers its issue instant, which names it in every inbox.</summary>
    private async Task<DateTimeOffset> SendCertificateAsync()
    {
        var issuedAt = FirstIssue.AddMinutes(++_certificates);
        using var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(CertificateExamples.NewFor(Kari, issuedAt), Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        using var response = await _hub.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return issuedAt;
    }

    private async Task<List<JsonElement>> CertificatesAsync(string role, string party)
    {
        var (status, inbox) = await SendAsync(HttpMethod.Get, "/inbox", role, party);
        Assert.Equal(HttpStatusCode.OK, status);
        return inbox.GetProperty("persons").EnumerateArray()
            .SelectMany(p => p.GetProperty("updates").EnumerateArray())
            .Where(u => u.GetProperty("kind").GetString() == "medical-certificate")
            .ToList();
    }

    /// <summary>Waits until NAV has the certificate: routing decided for every recipient in that same transaction.</summary>
    private Task<List<JsonElement>> AtNavAsync(DateTimeOffset issuedAt) =>
        Eventually.WaitForAsync(
            () => CertificatesAsync(HubRoles.NavAdvisor, NavOffice),
            updates => updates.Any(u => u.GetProperty("occurredAt").GetDateTimeOffset() == issuedAt),
            $"the certificate of {issuedAt:O} at NAV");

    private async Task<List<JsonElement>> MunicipalDecisionsAsync(string unit)
    {
        var (status, log) = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.Coordinator, Coordinator);
        Assert.Equal(HttpStatusCode.OK, status);
        return log.EnumerateArray()
            .Where(d => d.GetProperty("recipient").GetString() == "municipality" && d.GetProperty("recipientId").GetString() == unit)
            .ToList();
    }

    [Fact]
    public async Task A_consent_holds_for_the_update_right_after_its_201_and_a_withdrawal_for_the_one_right_after_its_answer()
    {
        await OpenNavCaseAsync();
        await FollowAsync(Oslo);

        // No wait between the 201 and the certificate: one authority decides, so the grant is seen.
        var consentId = await GrantAsync($"municipality:{Oslo}");
        var shared = await SendCertificateAsync();
        var atOslo = await Eventually.WaitForAsync(
            () => CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo),
            updates => updates.Any(u => u.GetProperty("occurredAt").GetDateTimeOffset() == shared),
            "the certificate at Oslo");
        Assert.Equal(JsonValueKind.Object, Assert.Single(atOslo).GetProperty("workCapacity").ValueKind);

        // Nor between the withdrawal's answer and the next certificate.
        var (withdrawn, _) = await SendAsync(HttpMethod.Post, $"/consents/{consentId}/withdraw", HubRoles.Coordinator, Coordinator, new JsonObject { ["via"] = "phone" });
        Assert.Equal(HttpStatusCode.OK, withdrawn);
        var notShared = await SendCertificateAsync();
        await AtNavAsync(notShared);

        var decisions = await MunicipalDecisionsAsync(Oslo);
        var forSecond = decisions.Where(d => d.GetProperty("decidedAt").GetDateTimeOffset() > decisions.Min(x => x.GetProperty("decidedAt").GetDateTimeOffset())).ToList();
        Assert.NotEmpty(forSecond);
        Assert.All(forSecond, d => Assert.Equal("withheld", d.GetProperty("outcome").GetString()));
        Assert.DoesNotContain(await CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo), u => u.GetProperty("occurredAt").GetDateTimeOffset() == notShared);

        // The first one, shared under the consent and not yet read, is taken back and the log says so.
        await Eventually.WaitForAsync(
            async () => (await MunicipalDecisionsAsync(Oslo)).Count(d => d.GetProperty("outcome").GetString() == "retracted"),
            n => n == 1,
            "the first certificate's work capacity retracted");
        Assert.Empty(await CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo));
    }

    [Fact]
    public async Task Two_municipalities_follow_the_person_and_only_the_one_the_consent_names_receives()
    {
        await OpenNavCaseAsync();
        await FollowAsync(Oslo);
        await GrantAsync($"municipality:{Oslo}");
        // Bergen enrols the person by its own act: that gives it nothing consent-based.
        await FollowAsync(Bergen);

        var issuedAt = await SendCertificateAsync();
        await AtNavAsync(issuedAt);

        var atOslo = await Eventually.WaitForAsync(() => CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo), u => u.Count == 1, "the certificate at Oslo");
        Assert.Equal(JsonValueKind.Object, atOslo[0].GetProperty("workCapacity").ValueKind);
        Assert.Empty(await CertificatesAsync(HubRoles.MunicipalCaseworker, Bergen));

        var bergen = await MunicipalDecisionsAsync(Bergen);
        Assert.NotEmpty(bergen);
        Assert.All(bergen, d => Assert.Equal("withheld", d.GetProperty("outcome").GetString()));
        Assert.Contains(bergen, d => d.GetProperty("basisOrReason").GetString() == "ikke samtykke til å dele «Hvor mye du kan jobbe, og for hvilken periode» med Bergen kommune (4601)");
        Assert.Equal("Bergen kommune (4601)", bergen[0].GetProperty("recipientName").GetString());
        Assert.Contains(await MunicipalDecisionsAsync(Oslo), d => d.GetProperty("outcome").GetString() == "delivered" && d.GetProperty("category").GetString() == "work-capacity");
    }

    [Fact]
    public async Task A_municipality_that_ends_its_follow_up_leaves_the_care_team_gets_nothing_more_and_no_longer_reads_the_person()
    {
        await OpenNavCaseAsync();
        await FollowAsync(Oslo);
        await GrantAsync($"municipality:{Oslo}");
        await SendCertificateAsync();
        await Eventually.WaitForAsync(() => CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo), u => u.Count == 1, "the certificate at Oslo");

        // Bergen cannot end Oslo's follow-up: a unit never changes another unit's membership.
        var (bergenStatus, bergenAnswer) = await SendAsync(HttpMethod.Post, $"/municipal/persons/{_personKey}/end", HubRoles.MunicipalCaseworker, Bergen);
        Assert.Equal(HttpStatusCode.OK, bergenStatus);
        Assert.True(bergenAnswer.GetProperty("alreadyEnded").GetBoolean());
        Assert.True(await InCareTeamAsync(PartyKind.Municipality, Oslo));

        var (status, answer) = await SendAsync(HttpMethod.Post, $"/municipal/persons/{_personKey}/end", HubRoles.MunicipalCaseworker, Oslo);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(answer.GetProperty("alreadyEnded").GetBoolean());
        await Eventually.WaitForAsync(() => InCareTeamAsync(PartyKind.Municipality, Oslo), known => !known, "Oslo out of the care team");

        var after = await SendCertificateAsync();
        await AtNavAsync(after);
        // The first certificate's three categories, decided while Oslo followed; nothing of the second.
        Assert.Equal(3, (await MunicipalDecisionsAsync(Oslo)).Count);
        var (timeline, _) = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/timeline", HubRoles.MunicipalCaseworker, Oslo);
        Assert.Equal(HttpStatusCode.NotFound, timeline);
        Assert.Empty(await CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo));
    }

    [Fact]
    public async Task NAV_leaves_the_care_team_when_the_case_closes_and_gets_nothing_more()
    {
        await OpenNavCaseAsync();
        await FollowAsync(Oslo);
        await GrantAsync($"municipality:{Oslo}");

        await NavEventAsync("case-closed", e => e["outcome"] = "other");
        await Eventually.WaitForAsync(() => InCareTeamAsync(PartyKind.Nav, NavOffice), known => !known, "the NAV office out of the care team");

        var issuedAt = await SendCertificateAsync();
        // Oslo gets it: routing has decided for everyone in the care team then, and NAV was not in it.
        await Eventually.WaitForAsync(
            () => CertificatesAsync(HubRoles.MunicipalCaseworker, Oslo),
            u => u.Any(x => x.GetProperty("occurredAt").GetDateTimeOffset() == issuedAt),
            "the certificate at Oslo");
        // NAV's own coordinator no longer reads the person; Oslo's, who still follows, sees the log.
        var (refused, _) = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.Coordinator, Coordinator);
        var (_, log) = await SendAsync(HttpMethod.Get, $"/persons/{_personKey}/disclosures", HubRoles.Coordinator, Oslo);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.DoesNotContain(log.EnumerateArray(), d => d.GetProperty("recipient").GetString() == "nav" && d.GetProperty("kind").GetString() == "medical-certificate");
    }
}
