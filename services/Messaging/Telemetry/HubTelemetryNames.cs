using System.Diagnostics;

namespace IntegrationHub.Messaging.Telemetry;

/// <summary>The hub's own trace source and meters, which the host exports with OpenTelemetry.</summary>
public static class HubTelemetryNames
{
    public const string MessagingSource = "IntegrationHub.Messaging";

    /// <summary>Spans of the hub's own messaging: an outbox row's publish, parented on the request that wrote it.</summary>
    public static ActivitySource Messaging { get; } = new(MessagingSource);

    /// <summary>Every meter of the hub's modules.</summary>
    public static IReadOnlyList<string> Meters { get; } = [MessagingSource, "IntegrationHub.GpCertificates"];
}
