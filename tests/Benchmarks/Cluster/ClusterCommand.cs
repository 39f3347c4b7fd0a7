using System.Globalization;
using System.Runtime.InteropServices;
using IntegrationHub.Benchmarks.Pipeline;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks.Cluster;

/// <summary>
/// <c>infra/cluster.sh</c>: the hub scaled out on loopback, as a platform would run it. Three
/// RabbitMQ nodes joined into one cluster, the test command's private PostgreSQL, and two instances
/// of each process group (intake; core), each group behind a load balancer. It runs until Ctrl-C,
/// SIGTERM or <c>--seconds N</c>, then stops everything it started. <c>--check N</c> follows a few
/// people, sends N certificates through the intake's balancer, waits until each is in both inboxes,
/// and stops: a smoke test of the whole deployment.
/// </summary>
public static class ClusterCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var instances = Number(args, "--instances") ?? 2;
        var seconds = Number(args, "--seconds");
        var check = Number(args, "--check");

        Console.WriteLine("starting three RabbitMQ nodes and joining them into one cluster");
        await using var brokers = await PrivateCluster.StartAsync();
        Console.WriteLine($"starting {instances} instances of each process group on PostgreSQL");
        await using var hub = await HubDeployment.StartScaledOutAsync(brokers.Options, instances);
        Console.WriteLine($"intake (certificates, audit), behind its balancer: {hub.IntakeAddress}");
        Console.WriteLine($"core (routing, NAV cases, municipal follow-up, coordination), behind its balancer: {hub.CoreAddress}");
        foreach (var (name, processId) in hub.Processes)
        {
            Console.WriteLine($"  {name}: process {processId}");
        }

        Console.WriteLine($"RabbitMQ nodes: {string.Join(", ", brokers.Options.Nodes)}");
        Console.WriteLine($"a GP system's token for the intake: {hub.Token(HubRoles.GpSystem, "90128")}");

        if (check is { } certificates)
        {
            var people = TestPersons.Synthetic(20, seed: 11);
            await hub.FollowAsync(people);
            var load = new CertificateLoad(hub, people);
            var result = await load.SaturateAsync(load.Prepare(certificates), clients: 8);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"check: {result.Certificates} certificates sent through the balancer, {result.Rejected} rejected, {result.LatenciesMs.Count} inbox rows; p50 {result.Percentile(50):0} ms, p99 {result.Percentile(99):0} ms"));
            return result.Rejected == 0 && result.LatenciesMs.Count == 2 * certificates ? 0 : 1;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        if (seconds is { } limit)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(limit));
        }

        Console.WriteLine(seconds is null ? "running; Ctrl-C stops everything" : $"running for {seconds} s");
        await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Console.WriteLine("stopping");
        return 0;
    }

    private static int? Number(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
    }
}
