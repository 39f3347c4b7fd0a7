using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Hub.Tests;

public sealed class HubHttpTests : IAsyncLifetime
{
    private const string ValidFodselsnummer = "12039140045";
    private HubTestServer _hub = null!;

    public async Task InitializeAsync() => _hub = await HubTestServer.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private Task<HttpResponseMessage> PostPersonKeyAsync(string? role, string body) =>
        _hub.Client.SendAsync(_hub.Request(HttpMethod.Post, "/persons/key", role, content: new StringContent(body, Encoding.UTF8, "application/json")));

    [Fact]
    public async Task Ready_reports_every_module_database_and_the_bus()
    {
        var response = await _hub.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database-messaging").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database-audit").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("masstransit-bus").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _hub.Client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Request_without_a_token_is_401_with_problem_details()
    {
        var response = await PostPersonKeyAsync(role: null, $$"""{"identifier":"{{ValidFodselsnummer}}"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_401()
    {
        var foreignKeyFolder = Path.Combine(Path.GetTempPath(), "ihub-foreign", Guid.NewGuid().ToString("N"));
        var request = _hub.Request(HttpMethod.Post, "/persons/key", content: JsonContent.Create(new { identifier = ValidFodselsnummer }));
        request.Headers.Authorization = new("Bearer", HubTokens.For(foreignKeyFolder, HubRoles.Coordinator));

        var response = await _hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Directory.Delete(foreignKeyFolder, recursive: true);
    }

    [Fact]
    public async Task Role_that_may_not_call_the_endpoint_is_403()
    {
        var response = await PostPersonKeyAsync(HubRoles.GpSystem, $$"""{"identifier":"{{ValidFodselsnummer}}"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var deadLetters = await _hub.Client.SendAsync(_hub.Request(HttpMethod.Get, "/admin/dead-letters", HubRoles.Coordinator));
        Assert.Equal(HttpStatusCode.Forbidden, deadLetters.StatusCode);
    }

    [Fact]
    public async Task Person_key_lookup_answers_a_stable_pseudonym_and_is_audited()
    {
        var first = await PostPersonKeyAsync(HubRoles.Coordinator, $$"""{"identifier":"{{ValidFodselsnummer}}"}""");
        var second = await PostPersonKeyAsync(HubRoles.NavAdvisor, $$"""{"identifier":"{{ValidFodselsnummer}}"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var key = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personKey").GetString()!;
        Assert.Equal(key, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personKey").GetString());
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.DoesNotContain(ValidFodselsnummer, key, StringComparison.Ordinal);

        var report = await Eventually.WaitForAsync(
            async () => await (await _hub.Client.SendAsync(_hub.Request(HttpMethod.Get, "/admin/audit/verify", HubRoles.HubAdmin)))
                .Content.ReadFromJsonAsync<JsonElement>(),
            r => r.GetProperty("entriesChecked").GetInt64() == 2,
            "two audit entries");
        Assert.True(report.GetProperty("intact").GetBoolean());
    }

    [Theory]
    [InlineData("""{"identifier":"12039140046"}""", "check digits")]
    [InlineData("""{"identifier":"1203914004"}""", "11 digits")]
    [InlineData("""{"identifier":""}""", "empty")]
    [InlineData("""{}""", "empty")]
    public async Task Invalid_identifier_is_400_naming_the_field(string body, string expectedReason)
    {
        var response = await PostPersonKeyAsync(HubRoles.Coordinator, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reason = problem.GetProperty("errors").GetProperty("identifier")[0].GetString()!;
        Assert.Contains(expectedReason, reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1203914004", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{bad")]
    [InlineData("""{"identifier": 12039140045}""")]
    [InlineData("[]")]
    public async Task Unreadable_body_is_400_problem_details_never_500(string body)
    {
        var response = await PostPersonKeyAsync(HubRoles.Coordinator, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_hub_endpoints()
    {
        var document = await _hub.Client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/persons/key", out _));
        Assert.True(paths.TryGetProperty("/admin/dead-letters", out _));
        Assert.True(paths.TryGetProperty("/admin/audit/verify", out _));
    }

    [Fact]
    public async Task Admin_lists_dead_letters()
    {
        var response = await _hub.Client.SendAsync(_hub.Request(HttpMethod.Get, "/admin/dead-letters", HubRoles.HubAdmin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, page.GetProperty("total").GetInt32());
        var missing = await _hub.Client.SendAsync(_hub.Request(HttpMethod.Post, $"/admin/dead-letters/{Guid.NewGuid()}/replay", HubRoles.HubAdmin));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
