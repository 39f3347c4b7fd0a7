using IntegrationHub.Messaging.Transport;

namespace IntegrationHub.TestSupport;

/// <summary>
/// The private RabbitMQ broker that <c>infra/test.sh</c> starts. Each test gets its own virtual
/// host, so tests running in parallel never receive each other's messages.
/// </summary>
public static class TestBroker
{
    public static string Host => Environment.GetEnvironmentVariable("IHUB_TEST_RABBITMQ_HOST") ?? "127.0.0.1";

    public static ushort Port => ushort.Parse(
        Environment.GetEnvironmentVariable("IHUB_TEST_RABBITMQ_PORT")
        ?? throw new InvalidOperationException(
            "IHUB_TEST_RABBITMQ_PORT is not set: run the tests with infra/test.sh, which starts the private broker."),
        System.Globalization.CultureInfo.InvariantCulture);

    private static string Node => Environment.GetEnvironmentVariable("RABBITMQ_NODENAME")
        ?? throw new InvalidOperationException("RABBITMQ_NODENAME is not set: run the tests with infra/test.sh.");

    /// <summary>Creates a fresh virtual host on the test broker and answers its settings.</summary>
    public static async Task<RabbitMqOptions> CreateVirtualHostAsync(string purpose)
    {
        var name = $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(purpose.Length + 33, 64)];
        await RabbitMqCtlAsync("add_vhost", name);
        await RabbitMqCtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new RabbitMqOptions { Host = Host, Port = Port, VirtualHost = name };
    }

    /// <summary>Environment variables that point a hub process at the virtual host.</summary>
    public static Dictionary<string, string> EnvironmentFor(RabbitMqOptions options)
    {
        var environment = new Dictionary<string, string>
        {
            ["Hub__RabbitMq__Host"] = options.Host,
            ["Hub__RabbitMq__Port"] = options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hub__RabbitMq__VirtualHost"] = options.VirtualHost,
            ["Hub__RabbitMq__Username"] = options.Username,
            ["Hub__RabbitMq__Password"] = options.Password,
        };
        for (var n = 0; n < options.Nodes.Count; n++)
        {
            environment[$"Hub__RabbitMq__Nodes__{n}"] = options.Nodes[n];
        }

        return environment;
    }

    /// <summary>A user of its own on the virtual host, so the test can take rights from one process only.</summary>
    public static async Task<RabbitMqOptions> AddUserAsync(RabbitMqOptions virtualHost, string name)
    {
        var password = Guid.NewGuid().ToString("N");
        await RabbitMqCtlAsync("add_user", name, password);
        await RabbitMqCtlAsync("set_permissions", "-p", virtualHost.VirtualHost, name, ".*", ".*", ".*");
        return new RabbitMqOptions
        {
            Host = virtualHost.Host, Port = virtualHost.Port, VirtualHost = virtualHost.VirtualHost, Username = name, Password = password,
        };
    }

    /// <summary>Sets a user's configure, write and read permissions (regular expressions) on its virtual host.</summary>
    public static Task SetPermissionsAsync(RabbitMqOptions user, string configure, string write, string read) =>
        RabbitMqCtlAsync("set_permissions", "-p", user.VirtualHost, user.Username, configure, write, read);

    /// <summary>Every queue on the virtual host with its type (classic, quorum).</summary>
    public static async Task<IReadOnlyList<(string Name, string Type)>> ListQueuesAsync(RabbitMqOptions virtualHost)
    {
        var output = await RabbitMqCtlAsync("list_queues", "-p", virtualHost.VirtualHost, "--quiet", "--no-table-headers", "name", "type");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2)
            .Select(fields => (fields[0], fields[1]))
            .ToList();
    }

    private static Task<string> RabbitMqCtlAsync(params string[] arguments) => Tools.RunAsync(FindRabbitMqCtl(), ["-n", Node, .. arguments]);

    private static string FindRabbitMqCtl() =>
        new[] { "/usr/sbin/rabbitmqctl", "/usr/lib/rabbitmq/bin/rabbitmqctl", "/usr/local/sbin/rabbitmqctl" }.FirstOrDefault(File.Exists)
        ?? "rabbitmqctl";
}

/// <summary>The private PostgreSQL cluster that <c>infra/test.sh</c> starts; each test uses a database of its own.</summary>
public static class TestPostgres
{
    /// <summary>The shared cluster's connection string, without a database.</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable("IHUB_TEST_POSTGRES")
        ?? throw new InvalidOperationException("IHUB_TEST_POSTGRES is not set: run the tests with infra/test.sh, which starts PostgreSQL.");

    public static string ConnectionStringFor(string database) => ConnectionStringFor(Server, database);

    public static string ConnectionStringFor(string server, string database) => $"{server};Database={database}";

    /// <summary>The arguments that put every module of an in-process hub (<see cref="HubTestServer"/>) on a new PostgreSQL database of its own.</summary>
    public static string[] HubArguments(string purpose)
    {
        string[] databases = ["messaging", "audit", "gp-certificates", "routing", "nav-cases", "municipal-follow-up", "coordination"];
        var prefix = $"ihub_{purpose}_{Guid.NewGuid():N}"[..28];
        return
        [
            "--Hub:Database:Provider=Postgres",
            .. databases.Select(d => $"--Hub:Database:ConnectionStrings:{d}={ConnectionStringFor($"{prefix}_{d.Replace('-', '_')}")}"),
        ];
    }
}
