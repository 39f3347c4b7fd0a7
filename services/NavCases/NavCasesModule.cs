using IntegrationHub.Delivery;
using IntegrationHub.Delivery.Endpoints;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.NavCases.Domain;
using IntegrationHub.NavCases.Endpoints;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.NavCases.Translation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.NavCases;

/// <summary>NAV case events in; consolidated updates out to NAV advisors (inbox and webhook).</summary>
public static class NavCasesModule
{
    public const string WebhookSection = "NavCases:Webhook";

    public static HubModule Descriptor { get; } = new("nav-cases", typeof(NavCasesModule).Assembly, AddNavCases, MapNavCases);

    public static void AddNavCases(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddModuleDatabase<NavCasesDbContext>(NavCasesDbContext.DatabaseName, context.Database, context.Paths);
        services.AddRecipientDelivery<NavCasesDbContext>(configuration, WebhookSection, requireSignedHttps: !context.Development);
    }

    public static void MapNavCases(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapNavEvents();
        endpoints.MapRecipientInbox();
    }
}
