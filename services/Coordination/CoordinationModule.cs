using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Endpoints;
using IntegrationHub.Coordination.Krr;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Coordination;

/// <summary>Digital reach per person, escalation to a human coordinator, the coordinator's worklist, KRR.</summary>
public static class CoordinationModule
{
    public static HubModule Descriptor { get; } = new("coordination", typeof(CoordinationModule).Assembly, AddCoordination, MapCoordination);

    public static void AddCoordination(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddModuleDatabase<CoordinationDbContext>(CoordinationDbContext.DatabaseName, context.Database, context.Paths);
        var rules = configuration.GetSection(ReachOptions.Section).Get<ReachOptions>() ?? new ReachOptions();
        rules.Validate();
        var escalations = configuration.GetSection(EscalationOptions.Section).Get<EscalationOptions>() ?? new EscalationOptions();
        escalations.Validate();
        var rights = configuration.GetSection(PersonRightsOptions.Section).Get<PersonRightsOptions>() ?? new PersonRightsOptions();
        rights.Validate();
        var krr = configuration.GetSection(KrrOptions.Section).Get<KrrOptions>() ?? new KrrOptions();
        krr.Validate();
        if (!string.IsNullOrEmpty(configuration[KrrOptions.Section + ":AccessToken"]))
        {
            throw new HubConfigurationException($"{KrrOptions.Section}:AccessToken is gone: the hub gets its own tokens from Maskinporten ({MaskinportenOptions.Section}).");
        }

        if (krr.Endpoint is not null && !krr.Maskinporten.Configured && context.RequireConfiguredSecrets)
        {
            throw new HubConfigurationException($"{MaskinportenOptions.Section} is required in Production when {KrrOptions.Section}:BaseUrl is set: KRR answers only with a Maskinporten token.");
        }
        services.AddSingleton(Options.Create(rules));
        services.AddSingleton(Options.Create(escalations));
        services.AddSingleton(Options.Create(rights));
        services.AddSingleton(krr);
        services.AddSingleton(krr.Maskinporten);
        services.AddHttpClient(MaskinportenTokens.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<MaskinportenTokens>();
        services.AddHttpClient<KrrClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<PersonDirectory>();
    }

    public static void MapCoordination(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReach();
        endpoints.MapEscalations();
        endpoints.MapWorklist();
        endpoints.MapPersonDetails();
        endpoints.MapAccessRequests();
        endpoints.MapChangeRequests();
    }
}
