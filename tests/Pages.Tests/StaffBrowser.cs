using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using IntegrationHub.TestSupport;
using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>
/// One member of staff in their own browser context (own cookies), signed in through the
/// development sign-in page like a person would, with an accessibility check for each page.
/// </summary>
public sealed class StaffBrowser : IAsyncDisposable
{
    private static readonly AxeRunOptions WcagLevelAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    private readonly IBrowserContext _context;

    private StaffBrowser(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    public static async Task<StaffBrowser> SignInAsync(BrowserFixture browser, HubTestServer hub, string roleLabel, string? party, string user)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = hub.Client.BaseAddress!.ToString(),
            Locale = "nb-NO",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var staff = new StaffBrowser(context, page);
        await page.GotoAsync("/sider");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sider/logg-inn"));
        await staff.AssertAccessibleAsync("logg-inn");
        await page.GetByLabel(roleLabel, new() { Exact = true }).CheckAsync();
        if (party is not null)
        {
            // A coordinator's unit is "nav:0314" for a NAV office; a bare number is a municipality.
            var navOffice = party.StartsWith("nav:", StringComparison.Ordinal);
            await page.GetByLabel("Enhet").FillAsync(navOffice ? party["nav:".Length..] : party);
            if (navOffice)
            {
                await page.GetByLabel("et NAV-kontor", new() { Exact = true }).CheckAsync();
            }
        }

        await page.GetByLabel("Bruker-id").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logg inn" }).ClickAsync();
        await Assertions.Expect(page.Locator(".signed-in")).ToContainTextAsync(user);
        return staff;
    }

    /// <summary>axe-core (through Deque.AxeCore.Playwright) on the page as it is now: no serious or critical violation of WCAG 2.1 A/AA.</summary>
    public async Task AssertAccessibleAsync(string pageName)
    {
        var found = await SeriousViolationsAsync(Page);
        Assert.True(found.Count == 0, $"Accessibility violations on {pageName}:\n{string.Join('\n', found)}");
    }

    public static async Task<List<string>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(WcagLevelAa);
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")
            .ToList();
    }

    /// <summary>Kept as a test artefact under TestResults/screenshots.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Reloads until the page shows <paramref name="text"/>: updates arrive over the bus a moment after they are sent.</summary>
    public async Task ReloadUntilVisibleAsync(string url, ILocator locator, string what)
    {
        await Eventually.WaitForAsync(
            async () =>
            {
                await Page.GotoAsync(url);
                return await locator.CountAsync();
            },
            count => count > 0,
            what);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
