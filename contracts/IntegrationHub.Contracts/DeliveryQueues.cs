namespace IntegrationHub.Contracts;

/// <summary>The receive endpoints of the recipient adapters, where routing sends <see cref="DeliverUpdate"/>.</summary>
public static class DeliveryQueues
{
    public const string Nav = "nav-delivery";
    public const string Municipality = "municipal-delivery";

    public static string For(PartyKind recipient) => recipient switch
    {
        PartyKind.Nav => Nav,
        PartyKind.Municipality => Municipality,
        _ => throw new ArgumentOutOfRangeException(nameof(recipient), recipient, "No delivery adapter for this party."),
    };
}
