using System.Diagnostics;
using System.Text.RegularExpressions;
using IntegrationHub.Messaging.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationHub.Hub.Operations;

/// <summary>
/// Traces (ASP.NET Core, HttpClient, MassTransit, the outbox) and metrics (the hub's meters,
/// MassTransit's, ASP.NET Core's, HttpClient's and the runtime's) with OpenTelemetry, exported by
/// OTLP where <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without it nothing is recorded at all, so
/// an unobserved hub pays nothing for spans; <c>Hub:Telemetry:Enabled=true</c> records without
/// exporting (for an exporter of a test's own). EF Core is not traced: its instrumentation is
/// still a beta package.
/// </summary>
public static partial class HubTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string EnabledKey = "Hub:Telemetry:Enabled";

    private const string MassTransitName = "MassTransit";

    public static void AddHubTelemetry(this IServiceCollection services, IConfiguration configuration, IEnumerable<string> modules)
    {
        var exported = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        if (!exported && !configuration.GetValue<bool>(EnabledKey))
        {
            return;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("integration-hub", serviceInstanceId: Environment.MachineName + "/" + Environment.ProcessId)
                .AddAttributes([new("hub.modules", string.Join(',', modules))]))
            .WithTracing(tracing => tracing
                .AddSource(HubTelemetryNames.AllOfTheHub, MassTransitName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddProcessor(new PersonIdentifierScrubber()))
            .WithMetrics(metrics => metrics
                .AddMeter(HubTelemetryNames.AllOfTheHub, MassTransitName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        if (exported)
        {
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>
    /// No fødselsnummer or D-number in any exported tag. The hub never writes one into a URL or a
    /// tag, but a caller can put one into a path or a query it sends, and ASP.NET Core's and
    /// HttpClient's instrumentation record those as they came.
    /// </summary>
    internal sealed partial class PersonIdentifierScrubber : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            foreach (var (key, value) in data.TagObjects.ToList())
            {
                if (value is string text && ElevenDigits().IsMatch(text))
                {
                    data.SetTag(key, ElevenDigits().Replace(text, "[identifier removed]"));
                }
            }

            if (ElevenDigits().IsMatch(data.DisplayName))
            {
                data.DisplayName = ElevenDigits().Replace(data.DisplayName, "[identifier removed]");
            }
        }

        [GeneratedRegex(@"(?<!\d)\d{11}(?!\d)")]
        private static partial Regex ElevenDigits();
    }
}
