using Microsoft.Playwright;

namespace IntegrationHub.Pages.Tests;

/// <summary>The accessibility check itself: it must find what it is there to find, or every page test passes for nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityCheckTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_page_with_an_unlabelled_field_and_an_image_without_text_fails_the_check()
    {
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="nb"><head><title>Feil</title></head>
            <body><main><h1>Feil</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><form><input type="text"></form></main></body></html>
            """);

        var violations = await StaffBrowser.SeriousViolationsAsync(page);

        Assert.Contains(violations, v => v.StartsWith("image-alt", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("label", StringComparison.Ordinal));
    }
}
