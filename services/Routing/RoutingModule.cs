using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Routing.Domain;
using IntegrationHub.Routing.Endpoints;
using IntegrationHub.Routing.Persistence;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Routing;

/// <summary>
/// Who may get what, decided in one place: the consent registry, care teams, the legal-basis table,
/// minimisation and the disclosure log share one database, so a decision and the consents it saw
/// are one transaction, and a withdrawal retracts what was decided under it before.
/// </summary>
public static class RoutingModule
{
    public static HubModule Descriptor { get; } = new("routing", typeof(RoutingModule).Assembly, AddRouting, MapRouting);

    public static void AddRouting(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddModuleDatabase<RoutingDbContext>(RoutingDbContext.DatabaseName, context.Database, context.Paths);
        var configured = configuration.GetSection("Routing:LegalBases").Get<List<LegalBasisRule>>();
        services.AddSingleton(new LegalBasisTable(configured is { Count: > 0 } ? configured : LegalBasisTable.Defaults));
        RetentionOptions.Register(services, configuration);
        services.AddSingleton<IRetentionSweep<RoutingDbContext>, DisclosureLogSweep>();
    }

    public static void MapRouting(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapConsents();
        endpoints.MapDisclosures();
    }
}
