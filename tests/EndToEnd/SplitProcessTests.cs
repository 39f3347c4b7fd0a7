using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.EndToEnd;

/// <summary>Modules split over real processes, talking over the real RabbitMQ broker.</summary>
public sealed class SplitProcessTests : IDisposable
{
    private readonly TemporaryDirectory _root = new("e2e");

    public void Dispose() => _root.Dispose();

    private Dictionary<string, string> ProcessEnvironment(string name, Messaging.Transport.RabbitMqOptions rabbitMq, string personKeySecret)
    {
        var environment = TestBroker.EnvironmentFor(rabbitMq);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["Hub__DataDirectory"] = _root.Combine(name);
        // Every process of one hub shares the person key secret, or keys would differ between them.
        environment["Hub__PersonKey__Secret"] = personKeySecret;
        environment["Hub__Outbox__PublishTimeout"] = "00:00:03";
        return environment;
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Audit_module_in_its_own_process_records_a_read_made_in_another_process()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("split");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        // The consumer's process first: its queues must exist before anything is published to them.
        await using var audit = HubProcess.Start(ProcessEnvironment("audit", rabbitMq, secret), "--modules", "audit", "--transport", "rabbitmq");
        await audit.WaitUntilReadyAsync();
        await using var edge = HubProcess.Start(ProcessEnvironment("edge", rabbitMq, secret), "--modules", "none", "--transport", "rabbitmq");
        await edge.WaitUntilReadyAsync();

        using var edgeClient = new HttpClient { BaseAddress = edge.BaseAddress };
        using var auditClient = new HttpClient { BaseAddress = audit.BaseAddress };
        var coordinator = HubTokens.For(_root.Combine("edge"), HubRoles.Coordinator, "0301", "coord-7");
        var admin = HubTokens.For(_root.Combine("audit"), HubRoles.HubAdmin);

        var answer = await SendAsync(edgeClient, HttpMethod.Post, "/persons/key", coordinator, new { identifier = "12039140045" });
        Assert.Matches("^[0-9a-f]{32}$", answer.GetProperty("personKey").GetString());

        var report = await Eventually.WaitForAsync(
            () => SendAsync(auditClient, HttpMethod.Get, "/admin/audit/verify", admin),
            r => r.GetProperty("entriesChecked").GetInt64() >= 1,
            "the audit entry in the other process");
        Assert.Equal(1, report.GetProperty("entriesChecked").GetInt64());
        Assert.True(report.GetProperty("intact").GetBoolean());
        Assert.False(edge.HasExited);
        Assert.False(audit.HasExited);

        // Module queues are quorum queues; only each bus's own reply queue (auto-deleted) is classic.
        var queues = await TestBroker.ListQueuesAsync(rabbitMq);
        Assert.Contains(queues, q => q.Name == "audit-log" && q.Type == "quorum");
        Assert.All(queues.Where(q => !q.Name.Contains("_bus_", StringComparison.Ordinal)), q => Assert.Equal("quorum", q.Type));
    }

    /// <summary>The edge process's own outbox, read from its SQLite file.</summary>
    private async Task<(int Rows, bool Dispatched, long Attempts)> EdgeOutboxAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_root.Combine("edge"), "messaging.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DispatchedAt), COALESCE(MAX(Attempts), 0) FROM outbox_messages";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1) > 0, reader.GetInt64(2));
    }

    [Fact]
    public async Task Process_killed_after_commit_but_before_publish_publishes_once_after_restart()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("kill");
        var edgeUser = await TestBroker.AddUserAsync(rabbitMq, $"edge-{Guid.NewGuid():N}");
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var audit = HubProcess.Start(ProcessEnvironment("audit", rabbitMq, secret), "--modules", "audit", "--transport", "rabbitmq");
        await audit.WaitUntilReadyAsync();
        using var auditClient = new HttpClient { BaseAddress = audit.BaseAddress };
        var admin = HubTokens.For(_root.Combine("audit"), HubRoles.HubAdmin);
        var coordinator = HubTokens.For(_root.Combine("edge"), HubRoles.Coordinator, "0301", "coord-7");

        // The edge process may write to every exchange but the audit event's: its request commits the
        // audit row in its outbox, and every publish of it is refused, so it stays between commit and publish.
        await TestBroker.SetPermissionsAsync(edgeUser, ".*", "^(?!IntegrationHub\\.Contracts:PersonDataAccessed$).*", ".*");
        var edge = HubProcess.Start(ProcessEnvironment("edge", edgeUser, secret), "--modules", "none", "--transport", "rabbitmq");
        try
        {
            await edge.WaitUntilReadyAsync();
            using var edgeClient = new HttpClient { BaseAddress = edge.BaseAddress };
            await SendAsync(edgeClient, HttpMethod.Post, "/persons/key", coordinator, new { identifier = "12039140045" });
            await Eventually.WaitForAsync(() => EdgeOutboxAsync(), row => row.Attempts >= 1, "a refused publish");
            edge.Kill();
        }
        finally
        {
            await edge.DisposeAsync();
        }

        var afterKill = await EdgeOutboxAsync();
        Assert.Equal((1, false), (afterKill.Rows, afterKill.Dispatched));
        Assert.Equal(0, (await SendAsync(auditClient, HttpMethod.Get, "/admin/audit/verify", admin)).GetProperty("entriesChecked").GetInt64());

        await TestBroker.SetPermissionsAsync(edgeUser, ".*", ".*", ".*");
        await using var restarted = HubProcess.Start(ProcessEnvironment("edge", edgeUser, secret), "--modules", "none", "--transport", "rabbitmq");
        await restarted.WaitUntilReadyAsync();

        await Eventually.WaitForAsync(
            () => SendAsync(auditClient, HttpMethod.Get, "/admin/audit/verify", admin),
            r => r.GetProperty("entriesChecked").GetInt64() >= 1,
            "the audit entry published after the restart");
        // A later read, audited after the first: once it is in, the first has not come twice.
        using var restartedClient = new HttpClient { BaseAddress = restarted.BaseAddress };
        await SendAsync(restartedClient, HttpMethod.Post, "/persons/key", coordinator, new { identifier = "05065066671" });
        var report = await Eventually.WaitForAsync(
            () => SendAsync(auditClient, HttpMethod.Get, "/admin/audit/verify", admin),
            r => r.GetProperty("entriesChecked").GetInt64() >= 2,
            "the later audit entry");
        Assert.Equal(2, report.GetProperty("entriesChecked").GetInt64());
        Assert.True(report.GetProperty("intact").GetBoolean());
    }
}
