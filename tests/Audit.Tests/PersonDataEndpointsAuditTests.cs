using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Audit.Tests;

/// <summary>
/// Walks the OpenAPI document: every endpoint that reads a person's data (a path with
/// {personKey}, a stored certificate, the person-key lookup) must leave an audit entry, so a new
/// endpoint cannot forget it.
/// </summary>
public sealed class PersonDataEndpointsAuditTests : IAsyncLifetime
{
    private HubTestServer _hub = null!;

    public async Task InitializeAsync() => _hub = await HubTestServer.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string role, string? party = null, HttpContent? content = null)
    {
        using var request = _hub.Request(method, path, role, party, content);
        return await _hub.Client.SendAsync(request);
    }

    private async Task<long> AuditEntriesAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/admin/audit/verify", HubRoles.HubAdmin);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(report.GetProperty("intact").GetBoolean());
        return report.GetProperty("entriesChecked").GetInt64();
    }

    /// <summary>Waits until the audit log has settled: no new entries arrive for a moment.</summary>
    private async Task<long> SettledAuditEntriesAsync()
    {
        var previous = -1L;
        var (entries, _) = await Eventually.WaitForAsync(
            async () =>
            {
                var now = await AuditEntriesAsync();
                var settled = now == previous;
                previous = now;
                await Task.Delay(200);
                return (now, settled);
            },
            r => r.settled,
            "the audit log to settle");
        return entries;
    }

    [Fact]
    public async Task Every_person_data_endpoint_in_the_openapi_document_is_audited()
    {
        using var keyResponse = await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, content: JsonContent.Create(new { identifier = "12039140045" }));
        var personKey = (await keyResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("personKey").GetString()!;
        using var certificate = await SendAsync(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(CertificateExamples.Legeerklaering, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
        var certificatePath = certificate.Headers.Location!.ToString();

        var document = await _hub.Client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        var personPaths = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("get", out _) && (p.Name.Contains("{personKey}", StringComparison.Ordinal) || p.Name == "/fhir/Bundle/{id}"))
            .Select(p => p.Name)
            .ToList();
        Assert.Contains("/persons/{personKey}/consents", personPaths);
        Assert.Contains("/persons/{personKey}/disclosures", personPaths);
        Assert.Contains("/persons/{personKey}/timeline", personPaths);
        Assert.Contains("/fhir/Bundle/{id}", personPaths);

        var unaudited = new List<string>();
        foreach (var path in personPaths)
        {
            var before = await SettledAuditEntriesAsync();
            var (url, role, party) = path == "/fhir/Bundle/{id}"
                ? (certificatePath, HubRoles.GpSystem, "90128")
                : (path.Replace("{personKey}", personKey, StringComparison.Ordinal), HubRoles.Coordinator, (string?)null);
            using var response = await SendAsync(HttpMethod.Get, url, role, party);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.True((int)response.StatusCode < 500, $"{path}: {response.StatusCode}");
            if (await SettledAuditEntriesAsync() <= before)
            {
                unaudited.Add(path);
            }
        }

        Assert.Empty(unaudited);
    }
}
