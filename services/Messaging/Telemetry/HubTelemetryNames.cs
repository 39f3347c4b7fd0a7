using System.Diagnostics;

namespace IntegrationHub.Messaging.Telemetry;

/// <summary>The hub's own trace source and meters, which the host exports with OpenTelemetry.</summary>
public static class HubTelemetryNames
{
    /// <summary>Every source and meter of the hub is named under this, so the host takes a module's new ones without a list to keep.</summary>
    public const string AllOfTheHub = "IntegrationHub.*";

    public const string MessagingSource = "IntegrationHub.Messaging";

    /// <summary>Spans of the hub's own messaging: an outbox row's publish, parented on the request that wrote it.</summary>
    public static ActivitySource Messaging { get; } = new(MessagingSource);
}
