using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>The person's right of access in a real browser: registered by a caseworker from a phone call, printed, downloaded and handed over.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PersonRightsPagesTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Kari = "Kari Nordmann, f. 12.03.1991";
    private const string NoteText = "Møtt på hospitset. Ønsker brev i stedet for SMS.";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoordinationHub _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock), _clock);
        _personKey = await _hub.PersonKeyAsync();
        await _hub.NamedAndFollowedWithANoteAndACertificateAsync(NoteText);
    }

    public async Task DisposeAsync() => await _hub.Server.DisposeAsync();

    [Fact]
    public async Task A_caseworker_registers_an_access_request_from_a_phone_call_prints_the_answer_and_records_the_hand_over()
    {
        await using var caseworker = await StaffBrowser.SignInAsync(browser, _hub.Server, "Kommunal saksbehandler", CoordinationHub.Municipality, "rus-oslo-0042");
        var page = caseworker.Page;
        await page.GotoAsync($"/sider/personer/{_personKey}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Kari);
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Innsyn") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Innsyn for {Kari}");
        await caseworker.AssertAccessibleAsync("innsyn");

        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer forespørselen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Velg hvordan forespørselen kom");
        await page.GetByLabel("Telefon").CheckAsync();
        await page.GetByLabel("Notat (valgfritt)").FillAsync("Ringte selv fra hospitset.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer forespørselen" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sider/innsyn/[0-9a-f-]{36}$"));
        var reportUrl = new Uri(page.Url).AbsolutePath;

        var article = page.Locator("article.report");
        await caseworker.ReloadUntilVisibleAsync(reportUrl, page.GetByRole(AriaRole.Button, new() { Name = "Skriv ut" }), "every part of the answer");
        await Assertions.Expect(article.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dette har Oppfølgingsnavet om deg");
        await Assertions.Expect(article).ToContainTextAsync($"Til: {Kari}.");
        await Assertions.Expect(article).ToContainTextAsync(NoteText);
        await Assertions.Expect(article).ToContainTextAsync("Legeerklæring");
        await Assertions.Expect(article).ToContainTextAsync("Sak AAP-");
        await Assertions.Expect(article.Locator("section.report-section")).ToHaveCountAsync(5);
        await caseworker.AssertAccessibleAsync("innsyn-svar");

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator(".no-print").First).ToBeHiddenAsync();
        await Assertions.Expect(article).ToBeVisibleAsync();
        await caseworker.ScreenshotAsync("innsyn-utskrift");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        var download = await page.Context.APIRequest.GetAsync(reportUrl + "?handler=Json");
        Assert.Equal(200, download.Status);
        Assert.StartsWith("attachment;", download.Headers["content-disposition"], StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(await download.TextAsync()))
        {
            Assert.Equal(5, json.RootElement.GetProperty("sections").GetArrayLength());
            Assert.Equal("Kari", json.RootElement.GetProperty("person").GetProperty("name").GetProperty("given").GetString());
        }

        await page.GetByLabel("Gitt til personen").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer utleveringen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#utlevert-status")).ToContainTextAsync("Utlevert");
        await Assertions.Expect(page.Locator("#utlevert-status")).ToContainTextAsync("rus-oslo-0042 (Gitt til personen)");
    }

    [Fact]
    public async Task A_correction_registered_on_the_persons_page_is_a_task_in_the_owning_units_inbox_and_stands_on_the_worklist_until_closed()
    {
        const string Concerns = "Notatet sier at hun ikke møtte; hun var innlagt den dagen.";
        await using (var advisor = await StaffBrowser.SignInAsync(browser, _hub.Server, "NAV-veileder", CoordinationHub.NavOffice, "Z990123"))
        {
            var page = advisor.Page;
            await page.GotoAsync($"/sider/personer/{_personKey}");
            await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Retting og sletting") }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Retting og sletting for {Kari}");
            await page.GetByLabel("Retting", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Hva gjelder det?").FillAsync(Concerns);
            await page.GetByLabel("Hvem eier opplysningene?").SelectOptionAsync("municipality");
            await page.GetByLabel("Enhet", new() { Exact = true }).FillAsync(CoordinationHub.Municipality);
            await page.GetByLabel("Personlig oppmøte").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Registrer forespørselen" }).ClickAsync();
            await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Forespørselen er registrert.");
            await Assertions.Expect(page.Locator(".request-state").First).ToContainTextAsync("Frist");
            await advisor.AssertAccessibleAsync("retting");
        }

        await using (var coordinator = await StaffBrowser.SignInAsync(browser, _hub.Server, "Koordinator", CoordinationHub.NavCoordinator, "koord-7"))
        {
            var row = coordinator.Page.Locator("table.rights-requests tbody tr").Filter(new() { HasText = Kari });
            await Assertions.Expect(row).ToContainTextAsync("Retting hos Oslo kommune (0301)");
            await coordinator.AssertAccessibleAsync("arbeidsliste med forespørsler");
        }

        await using (var caseworker = await StaffBrowser.SignInAsync(browser, _hub.Server, "Kommunal saksbehandler", CoordinationHub.Municipality, "rus-oslo-0042"))
        {
            var page = caseworker.Page;
            await page.GotoAsync("/sider/innboks");
            var task = page.Locator("article").Filter(new() { HasText = Concerns });
            await Assertions.Expect(task.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Retting for {Kari}");
            await caseworker.AssertAccessibleAsync("innboks med oppgave");
            await task.GetByLabel("Utført").CheckAsync();
            await task.GetByLabel("Hva ble gjort, eller hvorfor ikke").FillAsync("Rettet i journalen: hun var innlagt.");
            await task.GetByRole(AriaRole.Button, new() { Name = "Lukk forespørselen" }).ClickAsync();
            await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Forespørselen er lukket.");
            await Assertions.Expect(page.Locator("article").Filter(new() { HasText = Concerns })).ToHaveCountAsync(0);
        }

        await using var after = await StaffBrowser.SignInAsync(browser, _hub.Server, "Koordinator", CoordinationHub.NavCoordinator, "koord-7");
        await Assertions.Expect(after.Page.GetByRole(AriaRole.Heading, new() { Name = "Arbeidsliste" })).ToBeVisibleAsync();
        await Assertions.Expect(after.Page.Locator("table.rights-requests")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_person_who_returns_after_the_retention_period_has_only_the_disclosure_log_left_from_before()
    {
        await _hub.NavEventAsync("case-closed", _hub.Now.AddMinutes(-5), e => e["outcome"] = "cleared-for-work");
        var (ended, _) = await _hub.SendAsync(HttpMethod.Post, $"/municipal/persons/{_personKey}/end", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject());
        Assert.Equal(HttpStatusCode.OK, ended);
        await _hub.SettleAsync();
        _clock.Advance(TimeSpan.FromDays(366));
        await _hub.SettleAsync();
        await Eventually.WaitForAsync(
            () => _hub.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.People, p => p.PersonKey == _personKey)),
            named => !named,
            "coordination's deletion of the person");

        // Two years on, Oslo follows her again: nothing from before is shown but what the law keeps.
        await _hub.MunicipalRegistrationAsync();
        await _hub.SettleAsync();
        await using var caseworker = await StaffBrowser.SignInAsync(browser, _hub.Server, "Kommunal saksbehandler", CoordinationHub.Municipality, "rus-oslo-0042");
        var page = caseworker.Page;
        await page.GotoAsync($"/sider/personer/{_personKey}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Person uten registrert navn, f. 12.03.1991");
        await page.GotoAsync($"/sider/personer/{_personKey}/tidslinje");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(NoteText);
        await Assertions.Expect(page.Locator("ol.timeline > li")).ToHaveCountAsync(0);
        await page.GotoAsync($"/sider/personer/{_personKey}/utlevert");
        await Assertions.Expect(page.Locator("table.report-table tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.report-table")).ToContainTextAsync("Oslo kommune (0301)");
        await caseworker.AssertAccessibleAsync("utlevert etter sletting");
    }
}
