using IntegrationHub.Hub.Startup;
using IntegrationHub.Messaging.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

public sealed class ModuleCatalogTests
{
    /// <summary>
    /// Receive endpoints are named after consumer classes. Two modules with a consumer of the same
    /// name would share one queue and take each other's messages, silently.
    /// </summary>
    [Fact]
    public void No_two_modules_have_a_consumer_of_the_same_name()
    {
        var consumers = ModuleCatalog.All
            .SelectMany(m => m.Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IConsumer))).Select(t => (Module: m.Name, t.Name)))
            .ToList();

        var shared = consumers.GroupBy(c => c.Name).Where(g => g.Select(c => c.Module).Distinct().Count() > 1).Select(g => g.Key).ToList();

        Assert.NotEmpty(consumers);
        Assert.Empty(shared);
    }

    /// <summary>
    /// What the naming convention registers, module by module. A class that gains or loses a
    /// role's suffix changes this list, so a rename cannot add or drop a service unnoticed.
    /// </summary>
    [Fact]
    public void The_convention_registers_each_module_s_translators_rules_and_units_of_work()
    {
        var registered = ModuleCatalog.All
            .SelectMany(module =>
            {
                var services = new ServiceCollection();
                services.AddByConvention(module.Assembly);
                return services.Select(s => $"{module.Name}: {s.ServiceType.Name} {s.Lifetime}");
            })
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [
                "audit: AuditChain Scoped",
                "coordination: ReachReview Scoped",
                "gp-certificates: CertificateIntake Scoped",
                "gp-certificates: CertificateMetrics Singleton",
                "gp-certificates: CertificateProfile Singleton",
                "gp-certificates: CertificateTranslator Singleton",
                "municipal-follow-up: IRecipientInbox Scoped",
                "municipal-follow-up: MunicipalInbox Scoped",
                "nav-cases: IRecipientInbox Scoped",
                "nav-cases: NavEventIntake Scoped",
                "nav-cases: NavEventReader Singleton",
                "nav-cases: NavInbox Scoped",
                "routing: CareTeam Scoped",
                "routing: RoutingPolicy Singleton",
                "routing: UpdateRouter Scoped",
            ],
            registered);
    }
}
