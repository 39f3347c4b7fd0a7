namespace IntegrationHub.Contracts;

/// <summary>Sentences several modules write to people, kept here so they read the same everywhere.</summary>
public static class NeutralWording
{
    /// <summary>Closes every text about a missed contact: silence calls for support, never for blame.</summary>
    public const string NotGroundsForAction = "Dette er informasjon til den som følger opp, ikke grunnlag for tiltak.";
}
