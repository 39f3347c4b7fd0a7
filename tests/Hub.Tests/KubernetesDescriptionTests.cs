using IntegrationHub.Hub.Startup;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// <c>infra/kubernetes/hub.yaml</c> against the code: every module runs in exactly one Deployment,
/// each Deployment runs at least two replicas and is probed where the hub answers, and the hub builds, in Production, from each
/// Deployment's environment alone, so a missing connection string or key fails here, not on the platform.
/// </summary>
public sealed class KubernetesDescriptionTests
{
    private static readonly string File = Path.Combine(RepositoryRoot.Path, "infra", "kubernetes", "hub.yaml");

    [Fact]
    public void Every_module_runs_in_exactly_one_deployment_of_two_replicas_or_more_probed_where_the_hub_answers()
    {
        var deployments = Deployments();

        var placed = deployments.SelectMany(d => d.Modules.Select(module => (Module: module, d.Name))).ToList();
        Assert.Equal(ModuleCatalog.All.Select(m => m.Name).Order(), placed.Select(p => p.Module).Order());
        foreach (var deployment in deployments)
        {
            // Two at least, so one can die or be rolled without the group going away.
            Assert.True(deployment.Replicas >= 2, $"{deployment.Name}: {deployment.Replicas} replicas");
            Assert.Equal("/health/live", deployment.Probe("livenessProbe"));
            Assert.Equal("/health/ready", deployment.Probe("readinessProbe"));
            Assert.Equal("/health/ready", deployment.Probe("startupProbe"));
        }
    }

    [Fact]
    public void The_hub_builds_in_production_from_each_deployments_environment_and_its_databases_are_all_named()
    {
        foreach (var deployment in Deployments())
        {
            // Built, never started, and not disposed: disposing an unstarted host makes MassTransit build its bus on a disposed logger factory.
            var app = HubApplication.Build(Arguments(deployment.Environment));
            var databases = app.Services.GetServices<IModuleDatabase>().Select(d => d.Name).Order().ToList();
            var named = deployment.Environment.Keys.Where(k => k.StartsWith(ConnectionStringPrefix, StringComparison.Ordinal))
                .Select(k => k[ConnectionStringPrefix.Length..]).Order().ToList();
            Assert.Equal(databases, named);
        }
    }

    [Fact]
    public void A_deployment_without_one_of_its_connection_strings_does_not_build()
    {
        var core = Deployments().Single(d => d.Modules.Contains("routing"));
        var withoutRouting = core.Environment.Where(e => e.Key != ConnectionStringPrefix + "routing").ToDictionary();

        var error = Assert.Throws<HubConfigurationException>(() => HubApplication.Build(Arguments(withoutRouting)));
        Assert.Contains("ConnectionStrings:routing", error.Message, StringComparison.Ordinal);
    }

    private const string ConnectionStringPrefix = "Hub__Database__ConnectionStrings__";

    private sealed record Deployment(string Name, int Replicas, IReadOnlyDictionary<string, string> Environment, Dictionary<object, object> Container)
    {
        public IReadOnlyList<string> Modules => Environment["Hub__Modules"].Split(',', StringSplitOptions.TrimEntries);

        public string? Probe(string kind) =>
            Container.TryGetValue(kind, out var probe) ? (string)Map(Map(probe)["httpGet"])["path"] : null;
    }

    private static List<Deployment> Deployments()
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(System.IO.File.ReadAllText(File)));
        parser.Consume<StreamStart>();
        var deployments = new List<Deployment>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<Dictionary<object, object>>(parser);
            if ((string)document["kind"] != "Deployment")
            {
                continue;
            }

            var spec = Map(document["spec"]);
            var container = Map(((List<object>)Map(Map(Map(spec["template"])["spec"]))["containers"]).Single());
            var environment = ((List<object>)container["env"]).Select(Map).ToDictionary(e => (string)e["name"], ValueOf);
            deployments.Add(new Deployment((string)Map(document["metadata"])["name"], int.Parse((string)spec["replicas"], System.Globalization.CultureInfo.InvariantCulture), environment, container));
        }

        Assert.NotEmpty(deployments);
        return deployments;
    }

    private static Dictionary<object, object> Map(object node) => (Dictionary<object, object>)node;

    /// <summary>A literal value as written; a secret or config map reference as a value of the kind the platform would hold there.</summary>
    private static string ValueOf(Dictionary<object, object> variable)
    {
        if (variable.TryGetValue("value", out var value))
        {
            return (string)value;
        }

        var reference = Map(Map(variable["valueFrom"]).Values.Single());
        var key = (string)reference["key"];
        return key switch
        {
            _ when key.StartsWith("db-", StringComparison.Ordinal) => $"Host=postgres;Database={key[3..]};Username=hub;Password=from-the-secret",
            _ when key.EndsWith("-key", StringComparison.Ordinal) || key.EndsWith("-secret", StringComparison.Ordinal) => Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + key.Length)).ToArray()),
            "entra-tenant-id" or "entra-client-id" => Guid.NewGuid().ToString(),
            _ => $"from-the-secret-{key}",
        };
    }

    /// <summary>
    /// The environment as the hub reads it (<c>A__B</c> is <c>A:B</c>), given as command-line
    /// settings, with a data folder under the temporary folder instead of the platform's path.
    /// </summary>
    private static string[] Arguments(IReadOnlyDictionary<string, string> environment) =>
    [
        .. environment.Select(e => e.Key switch
        {
            "ASPNETCORE_ENVIRONMENT" => $"--environment={e.Value}",
            "ASPNETCORE_URLS" => $"--urls={e.Value}",
            _ => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}",
        }),
        $"--Hub:DataDirectory={Path.Combine(Path.GetTempPath(), "kubernetes-description-tests")}",
    ];
}
