using IntegrationHub.Delivery;
using IntegrationHub.Delivery.Endpoints;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.MunicipalFollowUp.Domain;
using IntegrationHub.MunicipalFollowUp.Endpoints;
using IntegrationHub.MunicipalFollowUp.Persistence;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.MunicipalFollowUp;

/// <summary>Municipal follow-up notes in; updates out to municipal caseworkers (inbox and webhook).</summary>
public static class MunicipalFollowUpModule
{
    public const string WebhookSection = "MunicipalFollowUp:Webhook";

    public static HubModule Descriptor { get; } = new("municipal-follow-up", typeof(MunicipalFollowUpModule).Assembly, AddMunicipalFollowUp, MapMunicipalFollowUp);

    public static void AddMunicipalFollowUp(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddModuleDatabase<MunicipalDbContext>(MunicipalDbContext.DatabaseName, context.Database, context.Paths);
        services.AddRecipientDelivery<MunicipalDbContext>(configuration, WebhookSection, requireSignedHttps: !context.Development);
        var options = configuration.GetSection(MunicipalFollowUpOptions.Section).Get<MunicipalFollowUpOptions>() ?? new MunicipalFollowUpOptions();
        if (options.MaxTextLength is < 1 or > 20_000)
        {
            throw new HubConfigurationException("MunicipalFollowUp:MaxTextLength must be between 1 and 20000 characters.");
        }

        services.Configure<MunicipalFollowUpOptions>(configuration.GetSection(MunicipalFollowUpOptions.Section));
    }

    public static void MapMunicipalFollowUp(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMunicipalFollowUp();
        endpoints.MapRecipientInbox();
    }
}
