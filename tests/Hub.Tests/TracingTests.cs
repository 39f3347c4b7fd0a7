using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using OpenTelemetry.Trace;

namespace IntegrationHub.Hub.Tests;

/// <summary>OpenTelemetry traces of the embedded hub, read from the in-memory exporter.</summary>
public sealed class TracingTests : IAsyncLifetime
{
    private const string Kari = "12039140045";
    private const string Oslo = "0301";
    private const string NavOffice = "0314";

    private readonly List<Activity> _spans = [];
    private HubTestServer _hub = null!;

    public async Task InitializeAsync() =>
        _hub = await HubTestServer.StartWithServicesAsync(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)), "--Hub:Telemetry:Enabled=true");

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    /// <summary>A copy of what the exporter has so far. It adds from other threads without a lock of ours, so a copy that meets an add is taken again.</summary>
    private List<Activity> Spans()
    {
        while (true)
        {
            try
            {
                return [.. _spans];
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // The list grew while it was copied.
            }
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string? party, HttpContent? content = null)
    {
        using var request = _hub.Request(method, path, role, party, content);
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>
    /// Runs the call in a trace of the test's own, which the hub continues. Tests in other classes
    /// run at the same time, and the exporter sees every span in this process.
    /// </summary>
    private static async Task<ActivityTraceId> InTraceOfOwnAsync(Func<Task> call)
    {
        // Recorded, or the hub's parent-based sampler would drop every span of the trace.
        using var root = new Activity("test") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        await call();
        return root.TraceId;
    }

    private async Task<int> InboxCountAsync(string role, string party)
    {
        var (_, inbox) = await SendAsync(HttpMethod.Get, "/inbox", role, party);
        return inbox.GetProperty("persons").EnumerateArray().SelectMany(p => p.GetProperty("updates").EnumerateArray())
            .Count(u => u.GetProperty("kind").GetString() == "medical-certificate");
    }

    [Fact]
    public async Task One_trace_spans_a_certificates_POST_its_routing_and_both_inbox_rows_and_no_tag_holds_an_identifier()
    {
        // Kari has a NAV case and is followed in Oslo, with consent to share work capacity there.
        var opened = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "case-opened",
            ["occurredAt"] = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["person"] = new JsonObject { ["identifier"] = Kari }, ["caseId"] = "AAP-2026-000123", ["navOffice"] = NavOffice,
            ["advisor"] = "Z990123", ["caseType"] = "arbeidsavklaring",
        };
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", JsonContent.Create(opened))).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Oslo,
            JsonContent.Create(new JsonObject { ["person"] = new JsonObject { ["identifier"] = Kari }, ["service"] = "addiction" }))).Status);
        await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, Oslo, JsonContent.Create(ConsentRequests.GivenInPerson(Kari, [$"municipality:{Oslo}"], ["work-capacity"])))).Status,
            status => status == HttpStatusCode.Created,
            "consent recorded once Oslo is in Kari's care team");

        var bundle = CertificateExamples.Mutated(b => b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}");
        var traceId = await InTraceOfOwnAsync(async () =>
        {
            var (posted, _) = await SendAsync(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
                new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } });
            Assert.Equal(HttpStatusCode.Created, posted);
        });
        await Eventually.WaitForAsync(() => InboxCountAsync(HubRoles.NavAdvisor, NavOffice), n => n == 1, "the certificate in NAV's inbox");
        await Eventually.WaitForAsync(() => InboxCountAsync(HubRoles.MunicipalCaseworker, Oslo), n => n == 1, "the certificate in Oslo's inbox");

        Assert.Single(Spans(), s => s.TraceId == traceId && s.Kind == ActivityKind.Server && s.DisplayName == "POST /fhir/Bundle");
        // Each inbox row is written by its module's consumer, whose span ends just after the commit.
        var trace = await Eventually.WaitForAsync(
            () => Task.FromResult(Spans().Where(s => s.TraceId == traceId).Select(s => $"{s.Kind} {s.Source.Name}: {s.DisplayName}").ToList()),
            names => names.Contains("Consumer MassTransit: nav-delivery process") && names.Contains("Consumer MassTransit: municipal-delivery process"),
            "both deliveries' consumer spans in the POST's trace");

        Assert.Contains("Producer IntegrationHub.Messaging: outbox publish", trace);
        Assert.Contains("Producer MassTransit: urn:message:IntegrationHub.Contracts:MedicalCertificateReceived send", trace);
        Assert.Contains("Consumer MassTransit: medical-certificate-received process", trace);
        Assert.Contains("Consumer MassTransit: audit-log process", trace);

        // Kari's fødselsnummer went in the certificate, the NAV event and the registration, in bodies only.
        Assert.All(Spans(), span =>
        {
            Assert.DoesNotContain(Kari, span.DisplayName, StringComparison.Ordinal);
            Assert.All(span.TagObjects, tag => Assert.DoesNotContain(Kari, tag.Value?.ToString() ?? string.Empty, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_or_the_switch_no_span_is_recorded()
    {
        var spans = new List<Activity>();
        await using var hub = await HubTestServer.StartWithServicesAsync(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));

        await hub.Client.SendAsync(hub.Request(HttpMethod.Get, "/me", HubRoles.Coordinator, Oslo));

        Assert.Empty(spans);
    }

    [Fact]
    public async Task An_identifier_a_caller_puts_into_a_path_or_query_is_removed_from_the_span()
    {
        var traceId = await InTraceOfOwnAsync(() => SendAsync(HttpMethod.Get, $"/persons/{Kari}/timeline?fnr={Kari}", HubRoles.Coordinator, Oslo));

        var span = await Eventually.WaitForAsync(
            () => Task.FromResult(Spans().FirstOrDefault(s => s.TraceId == traceId && s.Kind == ActivityKind.Server)),
            s => s is not null,
            "the request's server span");

        Assert.All(span!.TagObjects, tag => Assert.DoesNotContain(Kari, tag.Value?.ToString() ?? string.Empty, StringComparison.Ordinal));
        Assert.Equal("/persons/[identifier removed]/timeline", span.GetTagItem("url.path"));
    }
}
