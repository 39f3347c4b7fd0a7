using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Net.Http.Headers;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>The coordinator's day in a real browser: worklist, escalation, contact attempt, resolution; and what the advisor then sees.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CoordinatorPagesTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Kari = "Kari Nordmann, f. 12.03.1991";
    private const string KariMobile = "+4791234567";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LoopbackKrr _krr = null!;
    private CoordinationHub _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _krr = await LoopbackKrr.StartAsync();
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Normal, KariMobile);
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock, $"--Coordination:Krr:BaseUrl={_krr.BaseUrl}"), _clock);
        _personKey = await _hub.PersonKeyAsync();

        // Followed by NAV office 0314 and Oslo's addiction service; the last contact was yesterday, then 31 days of silence.
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-2), "Kari", "Nordmann");
        await _hub.MunicipalRegistrationAsync();
        await _hub.ContactAsync(_hub.Now.AddDays(-1));
        await _hub.SettleAsync();
        _clock.Advance(TimeSpan.FromDays(31));
        await _hub.SettleAsync();
        await _hub.WaitForEscalationAsync(_personKey);
    }

    public async Task DisposeAsync()
    {
        await _hub.Server.DisposeAsync();
        await _krr.DisposeAsync();
    }

    [Fact]
    public async Task Coordinator_acknowledges_records_a_home_visit_and_resolves_and_the_advisor_inbox_then_shows_the_resolution()
    {
        await using var coordinator = await StaffBrowser.SignInAsync(browser, _hub.Server, "Koordinator", CoordinationHub.NavCoordinator, "koord-7");
        var page = coordinator.Page;
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sider/arbeidsliste$"));
        var row = page.Locator("table.worklist tbody tr").Filter(new() { HasText = Kari });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync("32");
        await Assertions.Expect(row).ToContainTextAsync("NAV-veileder, NAV 0314");
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = KariMobile })).ToHaveAttributeAsync("href", $"tel:{KariMobile}");
        await Assertions.Expect(row).ToContainTextAsync("Oslo kommune (0301), oppfølging ved rusmiddelavhengighet (saksbehandler dev-municipal-caseworker)");
        await Assertions.Expect(row).Not.ToContainTextAsync(_personKey[..10]);
        await coordinator.AssertAccessibleAsync("arbeidsliste");
        await coordinator.ScreenshotAsync("arbeidsliste");

        await row.GetByRole(AriaRole.Link, new() { Name = Kari }).ClickAsync();
        await Assertions.Expect(page.Locator("#eskalering-status")).ToHaveTextAsync("Ny, ikke tatt");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Eskalering for {Kari}");
        await Assertions.Expect(page.Locator("dl.how-to-reach")).ToContainTextAsync(KariMobile);
        await coordinator.AssertAccessibleAsync("eskalering");
        await page.GetByRole(AriaRole.Button, new() { Name = "Jeg tar denne" }).ClickAsync();
        await Assertions.Expect(page.Locator("#eskalering-status")).ToHaveTextAsync("Tatt");

        await page.GetByLabel("Kanal").SelectOptionAsync("home-visit");
        await page.GetByLabel("nådd", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Notat").FillAsync("Hjemmebesøk sammen med kommunens kontaktperson. Telefonen er mistet; avtalt oppmøte på kontoret fredag.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrer forsøket" }).ClickAsync();
        await Assertions.Expect(page.Locator("ol.attempts")).ToContainTextAsync("hjemmebesøk, nådd (koord-7)");
        await coordinator.ScreenshotAsync("eskalering");

        await page.GetByLabel("Utfall").SelectOptionAsync("reached");
        await page.GetByLabel("Hva skjedde").FillAsync("Nådd på hjemmebesøk. Veileder tar over med fysisk møte.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Avslutt" }).ClickAsync();
        await Assertions.Expect(page.Locator("#eskalering-status")).ToHaveTextAsync("Avsluttet");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Avslutt" })).ToHaveCountAsync(0);

        await using var advisor = await StaffBrowser.SignInAsync(browser, _hub.Server, "NAV-veileder", CoordinationHub.NavOffice, "Z990123");
        var resolution = advisor.Page.Locator("li.update[data-kind='escalation-resolved']");
        await advisor.ReloadUntilVisibleAsync("/sider/innboks", resolution, "the resolution in the advisor's inbox");
        await Assertions.Expect(resolution).ToContainTextAsync("Brukeren ble nådd (hjemmebesøk)");
        await Assertions.Expect(resolution.Locator(".marker")).ToHaveTextAsync("Ulest");
        await advisor.AssertAccessibleAsync("innboks");
        await advisor.ScreenshotAsync("innboks");

        await resolution.GetByRole(AriaRole.Button, new() { Name = "Marker som lest" }).ClickAsync();
        await Assertions.Expect(advisor.Page.Locator("li.update[data-kind='escalation-resolved'] .marker")).ToHaveCountAsync(0);
        await Assertions.Expect(advisor.Page.Locator("li.update[data-kind='escalation-resolved']")).ToContainTextAsync("Lest");

        await advisor.Page.GetByRole(AriaRole.Link, new() { Name = "Tidslinje for " + Kari }).ClickAsync();
        await Assertions.Expect(advisor.Page.Locator("ol.timeline > li[data-kind='escalation-resolved']")).ToContainTextAsync("hjemmebesøk");
        await advisor.AssertAccessibleAsync("tidslinje");
        await advisor.ScreenshotAsync("tidslinje");
    }

    [Fact]
    public async Task Coordinator_edits_the_channel_profile_and_the_API_then_has_it()
    {
        await using var coordinator = await StaffBrowser.SignInAsync(browser, _hub.Server, "Koordinator", CoordinationHub.NavCoordinator, "koord-7");
        var page = coordinator.Page;
        await page.GotoAsync($"/sider/personer/{_personKey}/kontakt");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Digital rekkevidde" })).ToBeVisibleAsync();
        await coordinator.AssertAccessibleAsync("kontakt");

        // A choice the API refuses is shown in words, and nothing is saved.
        await page.Locator("fieldset").Filter(new() { HasText = "Foretrukket kanal" }).GetByLabel("SMS").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lagre kanalene" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Kryss av minst én kanal");
        await coordinator.AssertAccessibleAsync("kontakt med feil");

        var usable = page.Locator("fieldset").Filter(new() { HasText = "Kanaler som fungerer" });
        await usable.GetByLabel("telefon").CheckAsync();
        await usable.GetByLabel("hjemmebesøk").CheckAsync();
        await page.Locator("fieldset").Filter(new() { HasText = "Foretrukket kanal" }).GetByLabel("hjemmebesøk").CheckAsync();
        await page.GetByLabel("Personen trenger fysiske møter").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lagre kanalene" }).ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Kanalene er lagret");
        await coordinator.ScreenshotAsync("kontakt");

        var (status, reach) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{_personKey}/reach", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Equal(HttpStatusCode.OK, status);
        var channels = JsonNode.Parse(reach.GetRawText())!["channels"]!;
        Assert.Equal(["phone", "home-visit"], channels["usable"]!.AsArray().Select(c => c!.GetValue<string>()).Order().Reverse().ToArray());
        Assert.Equal("home-visit", channels["preferred"]!.GetValue<string>());
        Assert.True(channels["needsPhysicalMeetings"]!.GetValue<bool>());
        Assert.Equal("koord-7 (coordinator)", channels["agreedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_read_of_person_data_is_audited_under_the_person_who_read_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/sider/arbeidsliste", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubTokens.For(_hub.Server.DataDirectory, HubRoles.Coordinator, CoordinationHub.NavCoordinator, "koord-audit"));
        using var response = await _hub.Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Kari, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var entry = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .FirstOrDefaultAsync(e => e.PersonKey == _personKey && e.ActorUserId == "koord-audit");
            },
            e => e is not null,
            "the audit entry of the page read");
        Assert.Equal("coordination/worklist", entry!.Resource);
        Assert.Equal(HubRoles.Coordinator, entry.ActorRole);
        Assert.True(entry.Granted);
    }

    [Fact]
    public async Task Keyboard_alone_reaches_the_main_content_and_takes_the_escalation()
    {
        await using var coordinator = await StaffBrowser.SignInAsync(browser, _hub.Server, "Koordinator", CoordinationHub.NavCoordinator, "koord-7");
        var page = coordinator.Page;
        await page.Keyboard.PressAsync("Tab");
        var skipLink = page.GetByRole(AriaRole.Link, new() { Name = "Hopp til hovedinnholdet" });
        await Assertions.Expect(skipLink).ToBeFocusedAsync();
        await Assertions.Expect(skipLink).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();

        var link = page.Locator("table.worklist tbody tr").GetByRole(AriaRole.Link).First;
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#eskalering-status")).ToHaveTextAsync("Ny, ikke tatt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Jeg tar denne" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#eskalering-status")).ToHaveTextAsync("Tatt");
    }

    [Fact]
    public async Task Finding_a_person_by_number_leads_to_their_pages_and_the_number_never_appears_in_an_address()
    {
        await using var caseworker = await StaffBrowser.SignInAsync(browser, _hub.Server, "NAV-veileder", CoordinationHub.NavOffice, "Z990123");
        var page = caseworker.Page;
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(request.Url);
        await page.GetByRole(AriaRole.Link, new() { Name = "Finn person" }).ClickAsync();
        await caseworker.AssertAccessibleAsync("finn-person");

        await page.GetByLabel("Fødselsnummer eller D-nummer").FillAsync("12345678901");
        await page.GetByRole(AriaRole.Button, new() { Name = "Finn" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("ikke et gyldig fødselsnummer");
        await caseworker.AssertAccessibleAsync("finn-person med feil");

        await page.GetByLabel("Fødselsnummer eller D-nummer").FillAsync(CoordinationHub.Kari);
        await page.GetByRole(AriaRole.Button, new() { Name = "Finn" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/sider/personer/{_personKey}$"));
        await caseworker.AssertAccessibleAsync("person");
        await page.GetByRole(AriaRole.Link, new() { Name = "Kontakt og kanaler" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Digital rekkevidde" })).ToBeVisibleAsync();

        Assert.DoesNotContain(addresses, a => a.Contains(CoordinationHub.Kari, StringComparison.Ordinal) || a.Contains("12345678901", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_full_fodselsnummer_is_shown_on_the_persons_page_only_after_a_stated_purpose_and_never_in_an_address()
    {
        await using var advisor = await StaffBrowser.SignInAsync(browser, _hub.Server, "NAV-veileder", CoordinationHub.NavOffice, "Z990123");
        var page = advisor.Page;
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(request.Url);
        await page.GotoAsync($"/sider/personer/{_personKey}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Kari);
        await Assertions.Expect(page.Locator("#fodselsnummer")).ToHaveCountAsync(0);

        await page.GetByLabel("Hva trengs fødselsnummeret til?").FillAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis fødselsnummer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Skriv hva fødselsnummeret trengs til");
        await Assertions.Expect(page.Locator("#fodselsnummer")).ToHaveCountAsync(0);

        await page.GetByLabel("Hva trengs fødselsnummeret til?").FillAsync("Søknad om bostøtte sammen med personen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vis fødselsnummer" }).ClickAsync();
        await Assertions.Expect(page.Locator("#fodselsnummer")).ToHaveTextAsync(CoordinationHub.Kari);
        await advisor.AssertAccessibleAsync("person med fødselsnummer");

        Assert.DoesNotContain(addresses, a => a.Contains(CoordinationHub.Kari, StringComparison.Ordinal));
        var look = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .FirstOrDefaultAsync(e => e.PersonKey == _personKey && e.Resource == "persons/identifier");
            },
            e => e is not null,
            "the look at the fødselsnummer in the audit log");
        Assert.Equal("Z990123", look!.ActorUserId);
        Assert.Equal("vis fødselsnummer: Søknad om bostøtte sammen med personen", look.Purpose);
    }

    [Fact]
    public async Task A_page_for_another_role_says_so_in_words_with_status_403()
    {
        await using var advisor = await StaffBrowser.SignInAsync(browser, _hub.Server, "NAV-veileder", CoordinationHub.NavOffice, "Z990123");
        var response = await advisor.Page.GotoAsync("/sider/arbeidsliste");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(advisor.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Du har ikke tilgang til denne siden");
        await advisor.AssertAccessibleAsync("ikke-tilgang");
    }
}
