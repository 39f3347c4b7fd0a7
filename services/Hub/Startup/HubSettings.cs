using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Transport;

namespace IntegrationHub.Hub.Startup;

/// <summary>All host settings, read and checked once at start-up so that a mistake is one clear line.</summary>
public sealed record HubSettings(
    IReadOnlyList<HubModule> Modules,
    TransportKind Transport,
    BusOptions Bus,
    RabbitMqOptions RabbitMq,
    DatabaseOptions Database,
    HubPaths Paths,
    HubAuthOptions Auth,
    bool DevelopmentIssuerEnabled,
    PersonIdentifierRules IdentifierRules,
    byte[] PersonKeySecret)
{
    public static HubSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var modules = ModuleCatalog.Select(configuration["Hub:Modules"]);
        var transport = ParseTransport(configuration[BusOptions.TransportKey]);
        var paths = new HubPaths(configuration[HubPaths.DataDirectoryKey] ?? "data");
        var auth = Bind<HubAuthOptions>(configuration, HubAuthOptions.Section);
        var developmentIssuer = auth.DevelopmentIssuer.IsEnabledIn(environment);
        if (developmentIssuer && environment.IsProduction())
        {
            throw new HubConfigurationException(
                "The development token issuer must not run in Production. Set Hub:Auth:DevelopmentIssuer:Enabled=false and configure Hub:Auth:Issuers.");
        }

        foreach (var issuer in auth.Issuers)
        {
            if (issuer.Entra is { } entra)
            {
                if (string.IsNullOrWhiteSpace(issuer.Name) || string.IsNullOrWhiteSpace(entra.TenantId) || string.IsNullOrWhiteSpace(entra.ClientId))
                {
                    throw new HubConfigurationException("An Entra ID entry of Hub:Auth:Issuers needs Name, Entra:TenantId and Entra:ClientId.");
                }

                if (!string.IsNullOrWhiteSpace(issuer.Issuer) || !string.IsNullOrWhiteSpace(issuer.Authority))
                {
                    throw new HubConfigurationException($"Hub:Auth:Issuers '{issuer.Name}': with Entra, Issuer and Authority follow from Entra:Instance and Entra:TenantId; leave them out.");
                }

                if (!Uri.TryCreate(entra.Instance, UriKind.Absolute, out var instance) || (issuer.RequireHttpsMetadata && instance.Scheme != Uri.UriSchemeHttps))
                {
                    throw new HubConfigurationException($"Hub:Auth:Issuers '{issuer.Name}': Entra:Instance must be an absolute https URL.");
                }
            }
            else if (string.IsNullOrWhiteSpace(issuer.Name) || string.IsNullOrWhiteSpace(issuer.Issuer) || string.IsNullOrWhiteSpace(issuer.Authority))
            {
                throw new HubConfigurationException("Every entry of Hub:Auth:Issuers needs Name, Issuer and Authority (or, for Entra ID, Entra:TenantId and Entra:ClientId).");
            }

            if (issuer.Algorithms.Any(a => !TrustedIssuerOptions.AsymmetricAlgorithms.Contains(a)))
            {
                throw new HubConfigurationException(
                    $"Hub:Auth:Issuers '{issuer.Name}': Algorithms must be asymmetric ({string.Join(", ", TrustedIssuerOptions.AsymmetricAlgorithms)}); a shared secret is for the development issuer only.");
            }

            if (issuer.RoleMap.FirstOrDefault(m => !HubRoles.All.Contains(m.Role)) is { } unknownRole)
            {
                throw new HubConfigurationException(
                    $"Hub:Auth:Issuers '{issuer.Name}' maps to unknown hub role '{unknownRole.Role}'. Known roles: {string.Join(", ", HubRoles.All)}.");
            }
        }

        var rabbitMq = Bind<RabbitMqOptions>(configuration, RabbitMqOptions.Section);
        if (transport == TransportKind.RabbitMq && string.IsNullOrWhiteSpace(rabbitMq.Host))
        {
            throw new HubConfigurationException("Hub:RabbitMq:Host is required with --transport rabbitmq.");
        }

        if (transport == TransportKind.RabbitMq)
        {
            rabbitMq.Validate(environment.IsDevelopment());
        }

        return new HubSettings(
            modules,
            transport,
            Bind<BusOptions>(configuration, "Hub:Bus"),
            rabbitMq,
            Bind<DatabaseOptions>(configuration, DatabaseOptions.Section),
            paths,
            auth,
            developmentIssuer,
            Bind<PersonIdentifierRules>(configuration, "Hub:Identifiers"),
            ReadPersonKeySecret(configuration, environment, paths));
    }

    private static TransportKind ParseTransport(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "INMEMORY" or "IN-MEMORY" or "MEMORY" => TransportKind.InMemory,
        "RABBITMQ" => TransportKind.RabbitMq,
        _ => throw new HubConfigurationException($"Unknown transport '{value}'. Use 'inmemory' or 'rabbitmq'."),
    };

    private static byte[] ReadPersonKeySecret(IConfiguration configuration, IHostEnvironment environment, HubPaths paths) =>
        ConfiguredSecret.Read(configuration, "Hub:PersonKey:Secret", paths, "person-key.secret", requireConfigured: environment.IsProduction());

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new HubConfigurationException($"Invalid setting in {section}: {reason}");
        }
    }
}
