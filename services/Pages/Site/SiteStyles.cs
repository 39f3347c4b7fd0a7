namespace IntegrationHub.Pages;

/// <summary>The one style sheet, embedded so the pages need no static-file set-up or build chain.</summary>
public static class SiteStyles
{
    public static string Css { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(SiteStyles).Assembly.GetManifestResourceStream("site.css")
            ?? throw new InvalidOperationException("site.css is not embedded in IntegrationHub.Pages.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
