namespace IntegrationHub.Contracts;

/// <summary>
/// Who a consent lets receive: a unit, not a kind of party. <paramref name="Unit"/> is the
/// municipality number, the NAV office or the GP's HER-id. Null only for NAV: then the consent is
/// to NAV as the agency, that is, to whichever NAV office follows the person's case at the time.
/// </summary>
public sealed record ConsentRecipient(PartyKind Party, string? Unit)
{
    /// <summary>Whether <paramref name="recipient"/> is this consent recipient.</summary>
    public bool Names(PartyReference recipient) =>
        recipient.Kind == Party && (Unit is null ? Party == PartyKind.Nav : Unit == recipient.Id);
}
