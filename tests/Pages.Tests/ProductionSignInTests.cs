using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>
/// Production: the hub sits behind the platform's sign-in proxy, which forwards a bearer token from
/// a trusted issuer (here an Entra-like issuer on loopback). No development sign-in exists.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProductionSignInTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string NavTenant = "8f2f6a3e-1b7c-4d5e-9a0b-3c4d5e6f7a8b";
    private const string HubClientId = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

    private LoopbackOpenIdIssuer _entra = null!;
    private HubTestServer _hub = null!;

    public async Task InitializeAsync()
    {
        _entra = await LoopbackOpenIdIssuer.StartEntraAsync(NavTenant);
        _hub = await HubTestServer.StartAsync(
            "--environment", "Production",
            $"--Hub:PersonKey:Secret={Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())}",
            $"--Hub:AtRest:Key={Convert.ToBase64String(Enumerable.Range(33, 32).Select(i => (byte)i).ToArray())}",
            $"--Audit:SealKey={Convert.ToBase64String(Enumerable.Range(65, 32).Select(i => (byte)i).ToArray())}",
            "--Hub:Auth:Issuers:0:Name=entra",
            $"--Hub:Auth:Issuers:0:Entra:Instance={_entra.Authority}/",
            $"--Hub:Auth:Issuers:0:Entra:TenantId={NavTenant}",
            $"--Hub:Auth:Issuers:0:Entra:ClientId={HubClientId}",
            "--Hub:Auth:Issuers:0:RequireHttpsMetadata=false",
            "--Hub:Auth:Issuers:0:RoleClaim=roles",
            "--Hub:Auth:Issuers:0:RoleMap:0:Value=IntegrationHub.Coordinator",
            "--Hub:Auth:Issuers:0:RoleMap:0:Role=coordinator",
            "--Hub:Auth:Issuers:0:PartyClaim=nav_office",
            // Entra ID signs in NAV's staff: a coordinator there works for a NAV office.
            "--Hub:Auth:Issuers:0:PartyKind=nav",
            "--Hub:Auth:Issuers:0:UserClaim=NAVident");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _entra.DisposeAsync();
    }

    private string CoordinatorToken() =>
        _entra.CreateToken($"api://{HubClientId}", new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" }, ["NAVident"] = "Z990200", ["nav_office"] = "0314", ["tid"] = NavTenant });

    [Fact]
    public async Task Pages_take_the_proxy_bearer_token_and_work_without_JavaScript()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _hub.Client.BaseAddress!.ToString(),
            JavaScriptEnabled = false,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + CoordinatorToken() },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sider");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sider/arbeidsliste$"));
        await Assertions.Expect(page.Locator(".signed-in")).ToContainTextAsync("Z990200 (koordinator, enhet 0314)");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Logg ut" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Ingen åpne eskaleringer.")).ToBeVisibleAsync();

        // A plain form post, no script: the number goes in the body, the person key comes back.
        await page.GetByRole(AriaRole.Link, new() { Name = "Finn person" }).ClickAsync();
        await page.GetByLabel("Fødselsnummer eller D-nummer").FillAsync(CoordinationHub.Kari);
        await page.GetByRole(AriaRole.Button, new() { Name = "Finn" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sider/personer/[A-Za-z0-9_-]+$"));
    }

    [Fact]
    public async Task There_is_no_development_sign_in_and_its_cookie_is_ignored()
    {
        using (var signIn = await _hub.Client.GetAsync(new Uri("/sider/logg-inn", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        }

        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = _hub.Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/sider/arbeidsliste", UriKind.Relative));
        // Even a token the hub would accept as a bearer token is not read from the cookie in Production.
        request.Headers.Add("Cookie", $"{DevelopmentIssuer.SignInCookie}={CoordinatorToken()}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sider/ikke-tilgang?grunn=innlogging", response.Headers.Location!.ToString());
    }
}
