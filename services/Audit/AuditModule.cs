using IntegrationHub.Audit.Domain;
using IntegrationHub.Audit.Endpoints;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Audit;

/// <summary>Append-only, hash-chained log of every read of a person's data and every disclosure.</summary>
public static class AuditModule
{
    public static HubModule Descriptor { get; } = new("audit", typeof(AuditModule).Assembly, AddAudit, MapAudit);

    public static void AddAudit(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddModuleDatabase<AuditDbContext>(AuditDbContext.DatabaseName, context.Database, context.Paths);
        services.Configure<AuditOptions>(configuration.GetSection(AuditOptions.Section));
        services.AddSingleton(new AuditSealKey(
            ConfiguredSecret.Read(configuration, AuditOptions.SealKeySetting, context.Paths, "audit-seal.key", context.RequireConfiguredSecrets),
            ConfiguredSecret.ReadPrevious(configuration, AuditOptions.PreviousSealKeysSection)));
        RetentionOptions.Register(services, configuration);
        services.AddSingleton<IRetentionSweep<AuditDbContext>, AuditLogSweep>();
    }

    public static void MapAudit(IEndpointRouteBuilder endpoints) => endpoints.MapAuditEndpoints();
}
