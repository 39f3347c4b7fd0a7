using IntegrationHub.Fhir.Validation;
using IntegrationHub.GpCertificates.Domain;
using IntegrationHub.GpCertificates.Endpoints;
using IntegrationHub.GpCertificates.Persistence;
using IntegrationHub.GpCertificates.Translation;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.GpCertificates;

/// <summary>FHIR R4 medical certificates from GP systems in; MedicalCertificateReceived out.</summary>
public static class GpCertificatesModule
{
    public static HubModule Descriptor { get; } = new("gp-certificates", typeof(GpCertificatesModule).Assembly, AddGpCertificates, MapGpCertificates);

    public static void AddGpCertificates(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddModuleDatabase<CertificatesDbContext>(CertificatesDbContext.DatabaseName, context.Database, context.Paths);
        services.Configure<GpCertificatesOptions>(configuration.GetSection(GpCertificatesOptions.Section));
        services.AddSingleton<FhirValidator>();
    }

    public static void MapGpCertificates(IEndpointRouteBuilder endpoints) => endpoints.MapFhirBundles();
}
