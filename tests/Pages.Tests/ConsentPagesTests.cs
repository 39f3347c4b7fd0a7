using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>
/// What a caseworker may see of a GP's certificate, in a real browser: nothing without consent but
/// the "withheld" marker; consent registered and withdrawn on the page itself.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentPagesTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Municipality = CoordinationHub.Municipality;
    private const string DiagnosisCode = "P15";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoordinationHub _hub = null!;

    public async Task InitializeAsync() => _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock), _clock);

    public async Task DisposeAsync() => await _hub.Server.DisposeAsync();

    /// <summary>Followed by NAV (which gets certificates by law) and by the municipality (which needs consent).</summary>
    private async Task<string> FollowedByNavAndMunicipalityAsync(string identifier)
    {
        var personKey = await _hub.PersonKeyAsync(identifier);
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-1), identifier);
        var (status, body) = await _hub.SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Municipality,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = identifier }, ["service"] = "addiction" });
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted, body.ToString());
        await WaitForRoutingAsync(personKey, routing => routing.CareTeam.CountAsync(m => m.PersonKey == personKey && (m.Kind == PartyKind.Nav || m.Kind == PartyKind.Municipality)), 2);
        return personKey;
    }

    private async Task WaitForRoutingAsync(string personKey, Func<RoutingDbContext, Task<int>> count, int expected) =>
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                return await count(scope.ServiceProvider.GetRequiredService<RoutingDbContext>());
            },
            n => n >= expected,
            $"routing to know {expected} rows for {personKey}");

    private async Task SendCertificateAsync(string identifier)
    {
        using var request = _hub.Server.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(CertificateExamples.NewFor(identifier), Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        using var response = await _hub.Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<List<JsonElement>> CertificatesInInboxAsync(string role, string party, string personKey)
    {
        var (status, body) = await _hub.SendAsync(HttpMethod.Get, $"/inbox?personKey={personKey}", role, party);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("persons").EnumerateArray()
            .SelectMany(p => p.GetProperty("updates").EnumerateArray())
            .Where(u => u.GetProperty("kind").GetString() == "medical-certificate")
            .ToList();
    }

    [Fact]
    public async Task A_caseworker_never_sees_a_diagnosis_without_consent_and_sees_the_withheld_marker_instead()
    {
        var identifier = TestPersons.Synthetic(1, seed: 81)[0];
        var personKey = await FollowedByNavAndMunicipalityAsync(identifier);
        // Consent to work capacity only: the certificate reaches the municipality without its diagnosis.
        var (status, body) = await _hub.SendAsync(HttpMethod.Post, "/consents", HubRoles.MunicipalCaseworker, Municipality, new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["purpose"] = "coordinated-follow-up",
            ["recipients"] = ConsentRequests.Recipients([$"municipality:{Municipality}"]),
            ["categories"] = new JsonArray(DataCategory.WorkCapacity),
            ["validFrom"] = Display.Today(_clock).AddDays(-1).ToString("yyyy-MM-dd", null),
            ["validUntil"] = Display.Today(_clock).AddMonths(6).ToString("yyyy-MM-dd", null),
            ["obtainedVia"] = "phone",
            ["witnessedBy"] = "Kari Vitne",
        });
        Assert.Equal(HttpStatusCode.Created, status);
        await SendCertificateAsync(identifier);

        await using var caseworker = await StaffBrowser.SignInAsync(browser, _hub.Server, "Kommunal saksbehandler", Municipality, "rus-oslo-0042");
        var certificate = caseworker.Page.Locator("li.update[data-kind='medical-certificate']");
        await caseworker.ReloadUntilVisibleAsync("/sider/innboks", certificate, "the certificate in the caseworker's inbox");
        await Assertions.Expect(certificate).ToContainTextAsync("Arbeidsuførhet");
        await Assertions.Expect(certificate.Locator("ul.withheld")).ToContainTextAsync("Holdt tilbake: ikke samtykke til å dele «Diagnosen legen har satt» med Oslo kommune (0301)");
        Assert.DoesNotContain(DiagnosisCode, await caseworker.Page.ContentAsync(), StringComparison.Ordinal);
        await caseworker.AssertAccessibleAsync("innboks med holdt tilbake");
        await caseworker.ScreenshotAsync("innboks-holdt-tilbake");

        await caseworker.Page.GotoAsync($"/sider/personer/{personKey}/tidslinje");
        await Assertions.Expect(caseworker.Page.Locator("ol.timeline ul.withheld")).ToContainTextAsync("Holdt tilbake");
        Assert.DoesNotContain(DiagnosisCode, await caseworker.Page.ContentAsync(), StringComparison.Ordinal);

        // The same certificate, to NAV under the law: the code is there, so its absence above is the consent's doing.
        await using var advisor = await StaffBrowser.SignInAsync(browser, _hub.Server, "NAV-veileder", CoordinationHub.NavOffice, "Z990123");
        var navCertificate = advisor.Page.Locator("li.update[data-kind='medical-certificate']");
        await advisor.ReloadUntilVisibleAsync("/sider/innboks", navCertificate, "the certificate in the advisor's inbox");
        await Assertions.Expect(navCertificate.Locator(".diagnoses")).ToContainTextAsync(DiagnosisCode);
    }

    [Fact]
    public async Task Consent_registered_in_the_form_is_listed_by_the_API_and_withdrawal_on_the_page_stops_the_next_update()
    {
        var identifiers = TestPersons.Synthetic(2, seed: 83);
        var identifier = identifiers[0];
        var personKey = await FollowedByNavAndMunicipalityAsync(identifier);

        await using var caseworker = await StaffBrowser.SignInAsync(browser, _hub.Server, "Kommunal saksbehandler", Municipality, "rus-oslo-0042");
        var page = caseworker.Page;
        await page.GotoAsync($"/sider/personer/{personKey}/samtykke");
        await Assertions.Expect(page.GetByText("Ingen samtykker er registrert.")).ToBeVisibleAsync();
        await caseworker.AssertAccessibleAsync("samtykke");

        await page.GetByLabel("Kommunenummer").FillAsync(Municipality);
        await page.GetByLabel(DataCategory.Labels[DataCategory.Diagnosis]).CheckAsync();
        await page.GetByLabel(DataCategory.Labels[DataCategory.WorkCapacity]).CheckAsync();
        await page.GetByLabel("Vitne").FillAsync("Per Vitne, miljøterapeut");
        // Someone else's number is refused before anything is registered.
        await page.GetByLabel("Personens fødselsnummer").FillAsync(identifiers[1]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer samtykket" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("hører til en annen person");
        await caseworker.AssertAccessibleAsync("samtykke med feil");
        await page.GetByLabel("Personens fødselsnummer").FillAsync(identifier);
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer samtykket" }).ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Samtykket er registrert");
        await Assertions.Expect(page.Locator("article.consent")).ToContainTextAsync("Gjelder: til Oslo kommune (0301)");
        await caseworker.ScreenshotAsync("samtykke");

        var (status, consents) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/consents", HubRoles.MunicipalCaseworker, Municipality);
        Assert.Equal(HttpStatusCode.OK, status);
        var consent = Assert.Single(consents.EnumerateArray());
        var recipient = Assert.Single(consent.GetProperty("recipients").EnumerateArray());
        Assert.Equal(("municipality", Municipality), (recipient.GetProperty("party").GetString(), recipient.GetProperty("unit").GetString()));
        Assert.Equal(
            new[] { DataCategory.Diagnosis, DataCategory.WorkCapacity }.Order(),
            consent.GetProperty("categories").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.Equal("in-person", consent.GetProperty("obtainedVia").GetString());
        Assert.Equal("Per Vitne, miljøterapeut", consent.GetProperty("witnessedBy").GetString());
        Assert.Equal("active", consent.GetProperty("status").GetString());
        Assert.Equal(Display.Today(_clock).AddYears(1).ToString("yyyy-MM-dd", null), consent.GetProperty("validUntil").GetString());

        await SendCertificateAsync(identifier);
        await Eventually.WaitForAsync(() => CertificatesInInboxAsync(HubRoles.MunicipalCaseworker, Municipality, personKey), u => u.Count == 1, "the first certificate at the municipality");

        // The hub's clock stands still unless moved: the withdrawal comes a minute after the first delivery.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Trekk tilbake samtykket" }).ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Samtykket er trukket tilbake");
        await Assertions.Expect(page.Locator("article.consent h3")).ToContainTextAsync("Trukket tilbake");
        _clock.Advance(TimeSpan.FromMinutes(1));

        await SendCertificateAsync(identifier);
        // NAV gets both by law: once it has the second, routing has decided on it for the municipality too.
        await Eventually.WaitForAsync(() => CertificatesInInboxAsync(HubRoles.NavAdvisor, CoordinationHub.NavOffice, personKey), u => u.Count == 2, "both certificates at NAV");
        var withheld = await Eventually.WaitForAsync(
            async () => (await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/disclosures", HubRoles.Coordinator, Municipality)).Body.EnumerateArray()
                .Count(d => d.GetProperty("recipient").GetString() == "municipality" && d.GetProperty("outcome").GetString() == "withheld" && d.GetProperty("category").GetString() == DataCategory.Diagnosis),
            n => n >= 1,
            "the second certificate withheld from the municipality in the disclosure log");
        var log = (await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/disclosures", HubRoles.Coordinator, Municipality)).Body.ToString();
        Assert.True(withheld == 1, log);
        // The first certificate, shared under the consent and not yet read, is taken back as well.
        await Eventually.WaitForAsync(() => CertificatesInInboxAsync(HubRoles.MunicipalCaseworker, Municipality, personKey), u => u.Count == 0, "the unread certificate taken back");

        await page.GotoAsync("/sider/innboks");
        await Assertions.Expect(page.Locator("li.update[data-kind='medical-certificate']")).ToHaveCountAsync(0);

        await page.GotoAsync($"/sider/personer/{personKey}/utlevert");
        var report = page.Locator("table.report-table");
        await Assertions.Expect(report).ToContainTextAsync("Nei, holdt tilbake");
        await Assertions.Expect(report).ToContainTextAsync("trukket tilbake");
        await Assertions.Expect(report).ToContainTextAsync("Oslo kommune (0301)");
        // What went to NAV is NAV's record: the caseworker's report shows only Oslo's rows, and says so.
        await Assertions.Expect(report).Not.ToContainTextAsync("folketrygdloven § 21-4");
        await Assertions.Expect(page.Locator("article.report")).ToContainTextAsync("kan koordinatoren din skrive ut");
        await caseworker.AssertAccessibleAsync("utlevert");
        await caseworker.ScreenshotAsync("utlevert");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Assertions.Expect(page.Locator(".site-header")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Skriv ut" })).ToBeHiddenAsync();
        await Assertions.Expect(report).ToBeVisibleAsync();
    }
}
