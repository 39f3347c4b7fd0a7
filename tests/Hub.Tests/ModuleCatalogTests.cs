using IntegrationHub.Hub.Startup;
using MassTransit;

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
}
