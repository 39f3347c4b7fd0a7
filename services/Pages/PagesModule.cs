using System.Text.Encodings.Web;
using System.Text.Unicode;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.WebEncoders;

namespace IntegrationHub.Pages;

/// <summary>
/// The pages coordinators, NAV advisors and municipal caseworkers use in a browser, under <c>/sider</c>.
/// They are a client of the hub's own API with the caller's own token, so roles, row-level access
/// and the audit of every read are exactly the API's, and no module is referenced directly.
/// </summary>
public static class PagesModule
{
    public static HubModule Descriptor { get; } = new("pages", typeof(PagesModule).Assembly, AddPages, MapPages);

    public static void AddPages(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddRazorPages().AddApplicationPart(typeof(PagesModule).Assembly);
        // Bokmål as written (æ, ø, å), not as numeric entities: smaller pages, readable source.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.Configure<HubApiOptions>(configuration.GetSection(HubApiOptions.Section));
        services.AddHttpClient<HubApi>();
    }

    public static void MapPages(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorPages();
        endpoints.MapGet("/sider/site.css", () => Results.Text(SiteStyles.Css, "text/css; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/", () => Results.Redirect("/sider")).ExcludeFromDescription();
    }
}
