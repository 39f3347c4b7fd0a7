using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.TestSupport;

/// <summary>Development-issuer tokens for a hub whose data folder is known.</summary>
public static class HubTokens
{
    public static string For(string dataDirectory, string role, string? party = null, string? user = null) =>
        new DevelopmentIssuer(new HubAuthOptions(), dataDirectory, TimeProvider.System).CreateToken(role, party, user);
}
