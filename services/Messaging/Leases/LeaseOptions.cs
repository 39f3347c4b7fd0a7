namespace IntegrationHub.Messaging.Leases;

public sealed class LeaseOptions
{
    public const string Section = "Hub:Leases";

    /// <summary>
    /// How long a claim on a partition lasts without renewal: how long a dead instance's work
    /// waits before another takes it. Renewed every third of it; an instance stops working on a
    /// partition once two thirds have passed unrenewed, a third before anyone else may claim it.
    /// </summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(15);
}
