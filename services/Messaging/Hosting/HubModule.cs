using System.Reflection;
using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Hosting;

/// <summary>What the host needs to know of a module: its name, its services, its HTTP endpoints.</summary>
/// <param name="Name">Used with <c>--modules</c>, e.g. <c>audit</c>.</param>
/// <param name="Assembly">Consumers and their definitions are registered from here by convention.</param>
public sealed record HubModule(
    string Name,
    Assembly Assembly,
    Action<IServiceCollection, IConfiguration, HubModuleContext> AddServices,
    Action<IEndpointRouteBuilder> MapEndpoints)
{
    public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumers(Assembly);

    /// <summary>The module's translators, rules and units of work (<see cref="ModuleServiceConventions"/>), then what it registers by hand.</summary>
    public void Register(IServiceCollection services, IConfiguration configuration, HubModuleContext context)
    {
        services.AddByConvention(Assembly);
        AddServices(services, configuration, context);
    }
}

/// <summary>Host facts a module needs when it registers its services.</summary>
/// <param name="RequireConfiguredSecrets">Production: every key must come from configuration, never the data folder.</param>
/// <param name="Development">Only in Development may a webhook be plain http or unsigned, or the broker's guest login be used.</param>
public sealed record HubModuleContext(HubPaths Paths, Persistence.DatabaseOptions Database, bool RequireConfiguredSecrets = false, bool Development = true);
