namespace IntegrationHub.TestSupport;

/// <summary>
/// A test on a private RabbitMQ cluster: three more Erlang VMs beside the test broker. It runs when
/// <c>IHUB_CLUSTER_TESTS=1</c>, which <c>infra/repeat.sh</c> sets, and is reported as skipped
/// otherwise. Not in the CI run: on 2026-12-03 the shared test broker hung (every add_vhost after
/// one waited on that vhost's start) while a cluster test ran beside the other test projects.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string Switch = "IHUB_CLUSTER_TESTS";

    public ClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            Skip = $"a cluster test: set {Switch}=1 to run it (infra/repeat.sh does)";
        }
    }
}
