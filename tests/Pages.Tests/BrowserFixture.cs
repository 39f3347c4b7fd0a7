using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>
/// One headless Chromium for the test run: Debian's own <c>chromium</c> (the test command installs
/// it), since Playwright's browser download is not available here.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath()
    {
        string?[] candidates = [Environment.GetEnvironmentVariable("IHUB_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is missing: install Debian's chromium package (bash infra/test.sh does), or set IHUB_CHROMIUM.");
    }

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // Root in CI containers: Chromium's sandbox needs user namespaces it does not get there.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
