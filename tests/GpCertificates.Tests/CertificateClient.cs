using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.GpCertificates.Tests;

public sealed record FhirAnswer(System.Net.HttpStatusCode Status, string? ContentType, string? Location, JsonElement Outcome, string Body);

/// <summary>A GP system talking to a hub started on loopback, and a listener for what the hub publishes.</summary>
public sealed class CertificateClient : IAsyncDisposable
{
    public const string SenderHerId = "90128";

    private readonly HubTestServer _hub;
    private readonly BusObserver _observer;

    private CertificateClient(HubTestServer hub, BusObserver observer)
    {
        _hub = hub;
        _observer = observer;
    }

    public HubTestServer Hub => _hub;

    public IEnumerable<object> Published => _observer.Messages;

    public static async Task<CertificateClient> StartAsync(params string[] arguments)
    {
        var hub = await HubTestServer.StartAsync(arguments);
        var observer = await BusObserver.StartAsync(hub.Services, (observer, e) =>
        {
            e.Handler<Contracts.MedicalCertificateReceived>(context => observer.Record(context.Message));
            e.Handler<Contracts.MedicalCertificateWithdrawn>(context => observer.Record(context.Message));
        });
        return new CertificateClient(hub, observer);
    }

    public Task<FhirAnswer> PostAsync(string body, string? role = HubRoles.GpSystem, string? party = SenderHerId, string contentType = "application/fhir+json") =>
        SendAsync(HttpMethod.Post, "/fhir/Bundle", new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } }, role, party);

    public Task<FhirAnswer> PostAsync(byte[] body) =>
        SendAsync(HttpMethod.Post, "/fhir/Bundle", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } }, HubRoles.GpSystem, SenderHerId);

    public Task<FhirAnswer> GetAsync(string path, string? role = HubRoles.GpSystem, string? party = SenderHerId) =>
        SendAsync(HttpMethod.Get, path, null, role, party);

    public Task<T> PublishedAsync<T>(Func<T, bool> match)
        where T : class => _observer.WaitForAsync(match);

    private async Task<FhirAnswer> SendAsync(HttpMethod method, string path, HttpContent? content, string? role, string? party)
    {
        using var request = _hub.Request(method, path, role, party, content);
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var outcome = default(JsonElement);
        if (response.Content.Headers.ContentType?.MediaType == OperationOutcomes.ContentType)
        {
            using var json = JsonDocument.Parse(text);
            outcome = json.RootElement.Clone();
        }

        return new FhirAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.ToString(), outcome, text);
    }

    public async ValueTask DisposeAsync()
    {
        await _observer.DisposeAsync();
        await _hub.DisposeAsync();
    }
}
