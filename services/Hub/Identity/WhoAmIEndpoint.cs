using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.Hub.Identity;

public static class WhoAmIEndpoint
{
    public sealed record WhoAmI(string? Role, string? Party, string User);

    /// <summary><c>GET /me</c>: how the hub understood the caller's token (role, party, user), whatever its issuer.</summary>
    public static IEndpointRouteBuilder MapWhoAmI(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/me", (HttpContext http) => TypedResults.Ok(new WhoAmI(http.User.HubRole(), http.User.HubParty(), http.User.HubUser())))
            .RequireHubRoles([.. HubRoles.All])
            .WithTags("Identity")
            .WithName("WhoAmI")
            .WithSummary("The hub role, party and user id the caller's token maps to.");
        return endpoints;
    }
}
