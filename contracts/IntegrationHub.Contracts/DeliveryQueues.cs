namespace IntegrationHub.Contracts;

/// <summary>The receive endpoints of the recipients, where routing sends what it decided they may have.</summary>
public static class DeliveryQueues
{
    public const string Nav = "nav-delivery";
    public const string Municipality = "municipal-delivery";

    /// <summary>Where routing sends <see cref="DeliverToCoordination"/>.</summary>
    public const string Coordination = "coordination-delivery";

    public static string For(PartyKind recipient) => recipient switch
    {
        PartyKind.Nav => Nav,
        PartyKind.Municipality => Municipality,
        _ => throw new ArgumentOutOfRangeException(nameof(recipient), recipient, "No delivery adapter for this party."),
    };
}
