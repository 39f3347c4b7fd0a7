using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Hub.Tests;

/// <summary>Bodies no party should send: each gets a problem detail naming what is wrong, never a 500.</summary>
public sealed class HostileBodyTests : IAsyncLifetime
{
    private HubTestServer _hub = null!;

    public async Task InitializeAsync() => _hub = await HubTestServer.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Problem)> PostAsync(string path, string role, string? party, byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _hub.Client.SendAsync(_hub.Request(HttpMethod.Post, path, role, party, content));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Nav_event_with_invalid_utf8_in_a_string_is_400()
    {
        var body = Encoding.UTF8.GetBytes("""{"eventId":"5b0c0000-0000-0000-0000-000000000001","type":"case-opened","occurredAt":"2026-11-20T10:00:00+01:00","person":{"identifier":"12039140045"},"caseId":"AAP-XX","navOffice":"0314","advisor":"Z990123","caseType":"arbeidsavklaring"}""");
        var at = Array.IndexOf(body, (byte)'X');
        body[at] = 0xFF;
        body[at + 1] = 0xFE;

        var (status, problem) = await PostAsync("/nav/events", HubRoles.NavSystem, "nav", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_with_a_null_recipient_is_400_naming_the_field()
    {
        var body = ConsentRequests.GivenInPerson("12039140045", ["municipality:0301"], ["contact-status"]);
        body["recipients"] = new System.Text.Json.Nodes.JsonArray((System.Text.Json.Nodes.JsonNode?)null);

        var (status, problem) = await PostAsync("/consents", HubRoles.Coordinator, "0301", Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("recipients[0].party", out _));
    }

    [Fact]
    public async Task Nesting_100000_deep_is_400()
    {
        var body = Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000));

        var (status, problem) = await PostAsync("/persons/key", HubRoles.Coordinator, "0301", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("depth", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_megabyte_body_is_413()
    {
        var body = Encoding.ASCII.GetBytes("{\"identifier\":\"" + new string('1', 10 * 1024 * 1024) + "\"}");

        var (status, _) = await PostAsync("/persons/key", HubRoles.Coordinator, "0301", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task Duplicate_keys_are_400()
    {
        var (status, problem) = await PostAsync("/persons/key", HubRoles.Coordinator, "0301", """{"identifier":"12039140045","identifier":"01010112345"}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Duplicate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var (status, _) = await PostAsync("/persons/key", HubRoles.Coordinator, "0301", "identifier=12039140045"u8.ToArray(), "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task A_refused_caller_is_answered_before_its_body_is_read()
    {
        var body = Encoding.ASCII.GetBytes(new string('[', 100_000));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");

        using var response = await _hub.Client.SendAsync(_hub.Request(HttpMethod.Post, "/nav/events", role: null, content: content));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
