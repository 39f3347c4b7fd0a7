namespace IntegrationHub.Messaging.Tests;

/// <summary>
/// A test on a private RabbitMQ cluster: three more Erlang VMs beside the test broker. It runs when
/// <c>IHUB_CLUSTER_TESTS=1</c> (<c>IHUB_CLUSTER_TESTS=1 bash infra/repeat.sh N --filter ...</c>),
/// and is reported as skipped otherwise.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string Switch = "IHUB_CLUSTER_TESTS";

    public ClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            Skip = $"a cluster test: set {Switch}=1 to run it";
        }
    }
}
