using Microsoft.AspNetCore.Builder;

namespace IntegrationHub.Messaging.Auth;

public static class HubAuthorization
{
    /// <summary>Only callers holding one of these hub roles (401 without a token, 403 with another role).</summary>
    public static TBuilder RequireHubRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(HubAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .RequireRole(roles));
}
