using IntegrationHub.Consent.Endpoints;
using IntegrationHub.Consent.Persistence;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Consent;

/// <summary>Consent registry: consents given digitally, in person or by phone; withdrawals; ConsentGranted and ConsentWithdrawn out.</summary>
public static class ConsentModule
{
    public static HubModule Descriptor { get; } = new("consent", typeof(ConsentModule).Assembly, AddConsent, MapConsent);

    public static void AddConsent(IServiceCollection services, IConfiguration configuration, HubModuleContext context) =>
        services.AddModuleDatabase<ConsentDbContext>(ConsentDbContext.DatabaseName, context.Database, context.Paths);

    public static void MapConsent(IEndpointRouteBuilder endpoints) => endpoints.MapConsents();
}
