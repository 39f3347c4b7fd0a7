using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Hosting;

/// <summary>
/// Registers a module's translators, rules and units of work by their role, which their name's
/// suffix gives (DESIGN.md). Translators and rules hold nothing between messages, so one instance
/// serves the process; a unit of work uses the module's DbContext, so it lives as long as the
/// request or message it serves. A module registers by hand only what needs its configuration.
/// </summary>
public static class ModuleServiceConventions
{
    public static IReadOnlyList<string> SingletonRoles { get; } = ["Translator", "Reader", "Policy", "Profile", "Metrics"];

    public static IReadOnlyList<string> ScopedRoles { get; } = ["Intake", "Router", "Review", "Chain", "Team", "Inbox"];

    public static void AddByConvention(this IServiceCollection services, Assembly moduleAssembly) =>
        services.Scan(scan => scan.FromAssemblies(moduleAssembly)
            .AddClasses(classes => classes.Where(type => HasRole(type, SingletonRoles)))
                .AsSelf()
                .WithSingletonLifetime()
            .AddClasses(classes => classes.Where(type => HasRole(type, ScopedRoles)))
                .AsSelfWithInterfaces()
                .WithScopedLifetime());

    // A service is built from other services; an entity (e.g. ReachProfile) or a record of values
    // with a role's name is not one.
    private static bool HasRole(Type type, IReadOnlyList<string> roles) =>
        type is { IsPublic: true, IsSealed: true, IsGenericTypeDefinition: false }
        && roles.Any(role => type.Name.EndsWith(role, StringComparison.Ordinal))
        && type.GetConstructor(Type.EmptyTypes) is null
        && type.GetMethod("<Clone>$") is null;
}
