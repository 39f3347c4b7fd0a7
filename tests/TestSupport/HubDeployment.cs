using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Messaging.Auth;
using RuntimeFigures = IntegrationHub.Hub.Operations.RuntimeFiguresEndpoint.RuntimeFigures;
using IntegrationHub.Messaging.Transport;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.TestSupport;

/// <summary>
/// The hub as an operator runs it: real processes, either split over two processes on RabbitMQ or
/// one embedded process on the in-memory bus; used by the pipeline benchmark and the fault tests.
/// </summary>
public sealed class HubDeployment : IAsyncDisposable
{
    public const string NavOffice = "0314";
    public const string Municipality = "0301";

    private readonly TemporaryDirectory _root;
    private readonly List<(string Name, HubProcess Process)> _processes;

    /// <summary>The databases each process keeps, by module database name.</summary>
    private static readonly string[] IntakeDatabases = ["gp-certificates", "audit", "messaging"];
    private static readonly string[] CoreDatabases = ["routing", "nav-cases", "municipal-follow-up", "coordination", "messaging"];

    /// <summary>On PostgreSQL, the prefix of this deployment's databases; null on SQLite files.</summary>
    private string? PostgresPrefix { get; init; }

    /// <summary>On PostgreSQL, the server the databases are on (without a database).</summary>
    private string? PostgresServer { get; init; }

    /// <summary>With several instances of each process, the balancers in front of them.</summary>
    private (LoopbackBalancer Intake, LoopbackBalancer Core)? Balancers { get; init; }

    private HubDeployment(string description, TemporaryDirectory root, List<(string, HubProcess)> processes, HubProcess intake, HubProcess core)
    {
        Description = description;
        _root = root;
        _processes = processes;
        Intake = intake;
        Core = core;
    }

    public string Description { get; }


    /// <summary>The two processes, for fault tests that kill one and start it again.</summary>
    public IReadOnlyList<(string Name, HubProcess Process)> Members => _processes;

    /// <summary>Takes certificates and consents (gp-certificates, consent, audit); with several instances, the first.</summary>
    public HubProcess Intake { get; private set; }

    /// <summary>Where certificates are sent: the intake process, or the balancer in front of its instances.</summary>
    public Uri IntakeAddress => Balancers?.Intake.Address ?? Intake.BaseAddress;

    /// <summary>Where routing and delivery are asked: the core process, or the balancer in front of its instances.</summary>
    public Uri CoreAddress => Balancers?.Core.Address ?? Core.BaseAddress;

    private (Dictionary<string, string> Environment, string[] Arguments)? IntakeStart { get; init; }

    /// <summary>Routes and delivers (routing, nav-cases, municipal-follow-up, coordination); with several instances, the first.</summary>
    public HubProcess Core { get; private set; }

    private (Dictionary<string, string> Environment, string[] Arguments)? CoreStart { get; init; }

    /// <summary>SIGKILL for the routing and delivery process, as in a crash, then the same process again on the same data folder.</summary>
    public async Task KillCoreAndStartItAgainAsync() =>
        Core = await KillAndStartAgainAsync("core", Core, CoreStart);

    /// <summary>SIGKILL for the intake process (certificates, audit), then the same process again; it listens on a new port.</summary>
    public async Task KillIntakeAndStartItAgainAsync() =>
        Intake = await KillAndStartAgainAsync("intake", Intake, IntakeStart);

    /// <summary>
    /// SIGKILL for one instance of a scaled-out group (<c>core-2</c>, say), as when its machine
    /// dies, without starting it again; the group's balancer sends to the instances left, as a
    /// platform takes a dead instance out of its service.
    /// </summary>
    public void KillInstance(string name)
    {
        var balancers = Balancers ?? throw new InvalidOperationException("Only a scaled-out deployment has instances.");
        _processes.Single(p => p.Name == name).Process.Kill();
        var group = name.Split('-')[0];
        var left = _processes.Where(p => p.Name.StartsWith($"{group}-", StringComparison.Ordinal) && !p.Process.HasExited).Select(p => p.Process.BaseAddress).ToList();
        (group == "core" ? balancers.Core : balancers.Intake).SendTo(left);
    }

    private async Task<HubProcess> KillAndStartAgainAsync(string name, HubProcess process, (Dictionary<string, string> Environment, string[] Arguments)? start)
    {
        var (environment, arguments) = start ?? throw new InvalidOperationException("Only a split deployment has processes of their own.");
        process.Kill();
        await process.DisposeAsync();
        var again = HubProcess.Start(environment, arguments);
        _processes[_processes.FindIndex(p => p.Name == name)] = (name, again);
        await again.WaitUntilReadyAsync();
        return again;
    }

    private string CoreData => _root.Combine(_processes.Count == 1 ? "embedded" : "core");

    private string IntakeData => _root.Combine(_processes.Count == 1 ? "embedded" : "intake");

    public IEnumerable<(string Name, int ProcessId)> Processes => _processes.Select(p => (p.Name, p.Process.ProcessId));

    private static Dictionary<string, string> EnvironmentFor(string dataDirectory, string secret, RabbitMqOptions? rabbitMq, IReadOnlyDictionary<string, string>? settings)
    {
        var environment = rabbitMq is null ? [] : TestBroker.EnvironmentFor(rabbitMq);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["Hub__DataDirectory"] = dataDirectory;
        environment["Hub__PersonKey__Secret"] = secret;
        environment["Logging__LogLevel__Default"] = "Warning";
        // Skatteetaten-style synthetic numbers: never a real person's.
        environment["Hub__Identifiers__AcceptSynthetic"] = "true";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <param name="settings">For every process, as environment variables (e.g. <c>MunicipalFollowUp__Webhook__Url</c>).</param>
    /// <param name="postgres">Every module database on the test PostgreSQL (<c>IHUB_TEST_POSTGRES</c>), fresh ones, instead of SQLite files.</param>
    public static async Task<HubDeployment> StartSplitAsync(RabbitMqOptions rabbitMq, IReadOnlyDictionary<string, string>? settings = null, bool postgres = false)
    {
        var root = new TemporaryDirectory("pipeline-split");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var prefix = postgres ? $"ihub_pipeline_{Guid.NewGuid():N}"[..28] : null;
        var server = postgres ? TestPostgres.Server : null;
        // The consumers' process first, so their queues exist before anything is published.
        var coreEnvironment = EnvironmentFor(root.Combine("core"), secret, rabbitMq, WithDatabases(settings, server, prefix, "core", CoreDatabases));
        string[] coreArguments = ["--modules", "routing,nav-cases,municipal-follow-up,coordination", "--transport", "rabbitmq"];
        var core = HubProcess.Start(coreEnvironment, coreArguments);
        await core.WaitUntilReadyAsync();
        var intakeEnvironment = EnvironmentFor(root.Combine("intake"), secret, rabbitMq, WithDatabases(settings, server, prefix, "intake", IntakeDatabases));
        string[] intakeArguments = ["--modules", "gp-certificates,audit", "--transport", "rabbitmq"];
        var intake = HubProcess.Start(intakeEnvironment, intakeArguments);
        await intake.WaitUntilReadyAsync();
        var description = postgres
            ? "split over 2 processes, RabbitMQ (quorum queues, publisher confirms), PostgreSQL"
            : "split over 2 processes, RabbitMQ (quorum queues, publisher confirms)";
        return new HubDeployment(description, root, [("intake", intake), ("core", core)], intake, core)
        {
            CoreStart = (coreEnvironment, coreArguments),
            IntakeStart = (intakeEnvironment, intakeArguments),
            PostgresPrefix = prefix,
            PostgresServer = server,
        };
    }

    /// <summary>
    /// Every process group as <paramref name="instances"/> instances on PostgreSQL (fresh
    /// databases on <c>IHUB_TEST_POSTGRES</c>), as a platform scales them out: the instances of a
    /// group share its databases and its data folder (its development token key), and a
    /// <see cref="LoopbackBalancer"/> is in front of each group. Processes are named
    /// <c>core-1</c>, <c>core-2</c>, <c>intake-1</c> and so on.
    /// </summary>
    /// <param name="postgresServer">Another PostgreSQL server than the shared test one (a fault test's own).</param>
    public static async Task<HubDeployment> StartScaledOutAsync(
        RabbitMqOptions rabbitMq, int instances, IReadOnlyDictionary<string, string>? settings = null, string? postgresServer = null)
    {
        var server = postgresServer ?? TestPostgres.Server;
        var root = new TemporaryDirectory("pipeline-scaled");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var prefix = $"ihub_scaled_{Guid.NewGuid():N}"[..28];
        var processes = new List<(string, HubProcess)>();
        try
        {
            // The consumers' group first, so their queues exist before anything is published; one
            // instance after another, so the first has migrated the databases before the next starts.
            foreach (var (group, modules, databases) in new[]
            {
                ("core", "routing,nav-cases,municipal-follow-up,coordination", CoreDatabases),
                ("intake", "gp-certificates,audit", IntakeDatabases),
            })
            {
                var environment = EnvironmentFor(root.Combine(group), secret, rabbitMq, WithDatabases(settings, server, prefix, group, databases));
                for (var n = 1; n <= instances; n++)
                {
                    var process = HubProcess.Start(environment, "--modules", modules, "--transport", "rabbitmq");
                    processes.Add(($"{group}-{n}", process));
                    await process.WaitUntilReadyAsync();
                }
            }

            var core = processes.Where(p => p.Item1.StartsWith("core-", StringComparison.Ordinal)).Select(p => p.Item2).ToList();
            var intake = processes.Where(p => p.Item1.StartsWith("intake-", StringComparison.Ordinal)).Select(p => p.Item2).ToList();
            var balancers = (
                await LoopbackBalancer.StartAsync("intake", [.. intake.Select(p => p.BaseAddress)]),
                await LoopbackBalancer.StartAsync("core", [.. core.Select(p => p.BaseAddress)]));
            return new HubDeployment(
                $"{instances} instances of each of 2 processes, RabbitMQ (quorum queues, publisher confirms), PostgreSQL", root, processes, intake[0], core[0])
            {
                PostgresPrefix = prefix,
                PostgresServer = server,
                Balancers = balancers,
            };
        }
        catch
        {
            foreach (var (_, process) in processes)
            {
                await process.DisposeAsync();
            }

            root.Dispose();
            throw;
        }
    }

    private static Dictionary<string, string> WithDatabases(IReadOnlyDictionary<string, string>? settings, string? server, string? prefix, string process, string[] databases)
    {
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        if (server is not null && prefix is not null)
        {
            all["Hub__Database__Provider"] = "Postgres";
            foreach (var database in databases)
            {
                all[$"Hub__Database__ConnectionStrings__{database}"] = TestPostgres.ConnectionStringFor(server, PostgresName(prefix, process, database));
            }
        }

        return all;
    }

    private static string PostgresName(string prefix, string process, string database) => $"{prefix}_{process}_{database.Replace('-', '_')}";

    public static async Task<HubDeployment> StartEmbeddedAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = new TemporaryDirectory("pipeline-embedded");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var hub = HubProcess.Start(EnvironmentFor(root.Combine("embedded"), secret, null, settings), "--modules", "gp-certificates,audit,routing,nav-cases,municipal-follow-up,coordination");
        await hub.WaitUntilReadyAsync();
        return new HubDeployment("embedded: 1 process, in-memory bus", root, [("embedded", hub)], hub, hub);
    }

    /// <summary>The certificate intake alone (gp-certificates, audit) on the in-memory bus: what HTTP intake costs by itself.</summary>
    public static async Task<HubDeployment> StartIntakeAloneAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = new TemporaryDirectory("pipeline-intake");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var hub = HubProcess.Start(EnvironmentFor(root.Combine("embedded"), secret, null, settings), "--modules", "gp-certificates,audit");
        await hub.WaitUntilReadyAsync();
        return new HubDeployment("HTTP intake alone: 1 process, in-memory bus", root, [("intake", hub)], hub, hub);
    }

    public string Token(string role, string? party) => HubTokens.For(IntakeData, role, party, "benchmark");

    /// <summary>Each process's CPU time, allocation and collections so far (<c>GET /admin/runtime</c>).</summary>
    public async Task<IReadOnlyList<(string Name, RuntimeFigures Figures)>> RuntimeFiguresAsync()
    {
        var figures = new List<(string, RuntimeFigures)>();
        foreach (var (name, process) in _processes)
        {
            using var client = new HttpClient { BaseAddress = process.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/runtime", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubTokens.For(DataOf(name), HubRoles.HubAdmin, null, "benchmark"));
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            figures.Add((name, (await response.Content.ReadFromJsonAsync<RuntimeFigures>())!));
        }

        return figures;
    }

    /// <summary>The instances of a group (<c>core-1</c>, <c>core-2</c>) share its data folder.</summary>
    private string DataOf(string processName) => _root.Combine(_processes.Count == 1 ? "embedded" : processName.Split('-')[0]);

    public string CoreToken(string role, string? party) => HubTokens.For(CoreData, role, party, "benchmark");

    /// <summary>
    /// Each person: a NAV case (NAV gets certificates by law), municipal follow-up and consent for
    /// the municipality, so every certificate goes to both inboxes. Waits until routing knows it all.
    /// </summary>
    public async Task FollowAsync(IReadOnlyList<string> identifiers)
    {
        using var core = new HttpClient { BaseAddress = CoreAddress };
        foreach (var batch in identifiers.Chunk(500))
        {
            var events = new JsonArray([.. batch.Select(id => (JsonNode)new JsonObject
            {
                ["eventId"] = Guid.NewGuid().ToString(),
                ["type"] = "case-opened",
                ["occurredAt"] = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                ["person"] = new JsonObject { ["identifier"] = id },
                ["caseId"] = $"AAP-{id}",
                ["caseType"] = "arbeidsavklaring",
                ["navOffice"] = NavOffice,
                ["advisor"] = "Z990123",
            })]);
            await PostAsync(core, "/nav/events", CoreToken(HubRoles.NavSystem, "nav"), events);
        }

        await Parallel.ForEachAsync(identifiers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            await PostAsync(core, "/municipal/persons", CoreToken(HubRoles.MunicipalCaseworker, Municipality),
                new JsonObject { ["person"] = new JsonObject { ["identifier"] = id }, ["service"] = "addiction" }));

        // Only the care team records consent: the municipality must be known to routing first.
        await Eventually.WaitForAsync(
            () => ScalarAsync("core", "routing", "SELECT COUNT(*) FROM care_team WHERE \"Kind\" IN ('Nav','Municipality')"),
            members => members >= 2 * identifiers.Count,
            "routing to know every person's care team",
            TimeSpan.FromMinutes(5));
        await Parallel.ForEachAsync(identifiers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            await PostAsync(core, "/consents", CoreToken(HubRoles.MunicipalCaseworker, Municipality),
                ConsentRequests.GivenInPerson(id, [$"municipality:{Municipality}"], ["work-capacity", "diagnosis", "medical-assessment"], witnessedBy: "benchmark")));
    }

    private static async Task PostAsync(HttpClient client, string path, string token, JsonNode body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Every certificate row in the NAV and municipal inboxes: which certificate (by its issue instant) and when it was stored.</summary>
    public async Task<IReadOnlyList<InboxRow>> InboxRowsAsync()
    {
        var rows = new List<InboxRow>();
        foreach (var (inbox, database) in new[] { ("nav", "nav-cases"), ("municipality", "municipal-follow-up") })
        {
            await ReadAsync("core", database, "SELECT \"OccurredAt\", \"StoredAt\", \"Id\", \"Visible\" FROM delivered_updates WHERE \"Kind\" = 'medical-certificate'",
                row => rows.Add(new InboxRow(inbox, Instant(row.GetValue(0)), Instant(row.GetValue(1)), row.GetGuid(2), row.GetBoolean(3))));
        }

        return rows;
    }

    /// <summary>
    /// For each update routing decided about a certificate: when intake committed the certificate
    /// and when routing decided, so a latency can be split into its hops.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, (DateTimeOffset Received, DateTimeOffset Decided)>> HopTimesAsync()
    {
        var received = new Dictionary<Guid, DateTimeOffset>();
        await ReadAsync("intake", "gp-certificates", "SELECT \"Id\", \"ReceivedAt\" FROM certificates",
            row => received[row.GetGuid(0)] = Instant(row.GetValue(1)));
        var hops = new Dictionary<Guid, (DateTimeOffset, DateTimeOffset)>();
        await ReadAsync("core", "routing", "SELECT DISTINCT \"UpdateId\", \"SourceId\", \"DecidedAt\" FROM disclosures WHERE \"Kind\" = 'medical-certificate'", row =>
        {
            if (received.TryGetValue(row.GetGuid(1), out var at))
            {
                hops[row.GetGuid(0)] = (at, Instant(row.GetValue(2)));
            }
        });
        return hops;
    }

    /// <summary>Runs <paramref name="sql"/> on one module database and hands each row to <paramref name="read"/>; nothing while the database does not exist yet.</summary>
    private async Task ReadAsync(string process, string database, string sql, Action<DbDataReader> read)
    {
        await using var connection = await OpenAsync(process, database);
        if (connection is null)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            read(reader);
        }
    }

    /// <summary>SQLite keeps instants as text, PostgreSQL as UTC timestamps.</summary>
    private static DateTimeOffset Instant(object value) => value switch
    {
        string text => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        _ => throw new InvalidOperationException($"An instant read as {value.GetType().Name}."),
    };

    public async Task<long> InboxCountAsync() =>
        await ScalarAsync("core", "nav-cases", "SELECT COUNT(*) FROM delivered_updates WHERE \"Kind\" = 'medical-certificate'")
        + await ScalarAsync("core", "municipal-follow-up", "SELECT COUNT(*) FROM delivered_updates WHERE \"Kind\" = 'medical-certificate'");

    /// <summary>
    /// The work done so far over every module database of the deployment: consumer transactions
    /// (each commits one inbox row) and messages sent or published through the outboxes (a
    /// published event counts once, however many queues it reaches).
    /// </summary>
    public Task<(long ConsumerTransactions, long OutboxMessages)> WorkDoneAsync() =>
        SumOverDatabasesAsync("SELECT COUNT(*) FROM inbox_messages", "SELECT COUNT(*) FROM outbox_messages WHERE \"DispatchedAt\" IS NOT NULL");

    /// <summary>Rows now in the inbox and outbox tables of every module, to see the cleanup keep them flat in a long run.</summary>
    public Task<(long Inbox, long Outbox)> TableRowsAsync() =>
        SumOverDatabasesAsync("SELECT COUNT(*) FROM inbox_messages", "SELECT COUNT(*) FROM outbox_messages");

    /// <summary>Two counts, each summed over every module database of every process.</summary>
    private async Task<(long, long)> SumOverDatabasesAsync(string firstCount, string secondCount)
    {
        long first = 0, second = 0;
        foreach (var (process, database) in Databases())
        {
            first += await ScalarAsync(process, database, firstCount);
            second += await ScalarAsync(process, database, secondCount);
        }

        return (first, second);
    }

    private IEnumerable<(string Process, string Database)> Databases() => _processes.Count == 1
        ? IntakeDatabases.Concat(CoreDatabases).Distinct().Select(d => ("embedded", d))
        : IntakeDatabases.Select(d => ("intake", d)).Concat(CoreDatabases.Select(d => ("core", d)));

    /// <summary>A read-only connection to one module database of one process; null while it does not exist yet.</summary>
    private async Task<DbConnection?> OpenAsync(string process, string database)
    {
        if (_processes.Count == 1)
        {
            process = "embedded";
        }

        DbConnection connection;
        if (PostgresServer is { } server && PostgresPrefix is { } prefix)
        {
            connection = new Npgsql.NpgsqlConnection(TestPostgres.ConnectionStringFor(server, PostgresName(prefix, process, database)));
        }
        else
        {
            var file = Path.Combine(_root.Combine(process), $"{database}.db");
            if (!File.Exists(file))
            {
                return null;
            }

            connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=false");
        }

        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Npgsql.PostgresException)
        {
            // The database is created by the module's migration, a moment after the process starts.
            await connection.DisposeAsync();
            return null;
        }
    }

    private async Task<long> ScalarAsync(string process, string database, string sql)
    {
        await using var connection = await OpenAsync(process, database);
        if (connection is null)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            // The table is created by the module's migration a moment after the database.
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The balancers first: they would report every instance that stops as a failed probe.
        if (Balancers is { } balancers)
        {
            await balancers.Intake.DisposeAsync();
            await balancers.Core.DisposeAsync();
        }

        foreach (var (_, process) in _processes)
        {
            await process.DisposeAsync();
        }

        _root.Dispose();
    }
}

/// <param name="Id">The update id (routing's, also the webhook's Idempotency-Key).</param>
/// <param name="Visible">False once a retraction took everything in it back.</param>
public sealed record InboxRow(string Inbox, DateTimeOffset OccurredAt, DateTimeOffset StoredAt, Guid Id = default, bool Visible = true);
