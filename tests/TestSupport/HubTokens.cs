using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.TestSupport;

/// <summary>Development-issuer tokens for a hub whose data folder is known.</summary>
public static class HubTokens
{
    /// <param name="party">The unit; for a coordinator <c>nav:0314</c> names a NAV office, and a bare number a municipality.</param>
    public static string For(string dataDirectory, string role, string? party = null, string? user = null)
    {
        var kind = default(string);
        if (party?.Split(':') is [var prefix, var unit] && HubClaims.PartyKinds.ContainsKey(prefix))
        {
            (kind, party) = (prefix, unit);
        }

        return new DevelopmentIssuer(new HubAuthOptions(), dataDirectory, TimeProvider.System).CreateToken(role, party, user, kind);
    }
}
