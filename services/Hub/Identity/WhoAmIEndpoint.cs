using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.Hub.Identity;

public static class WhoAmIEndpoint
{
    /// <param name="Unit">The unit row-level access goes by (<c>nav:0314</c>, <c>municipality:0301</c>); null when the token names none.</param>
    public sealed record WhoAmI(string? Role, string? Party, string User, string? Unit);

    /// <summary><c>GET /me</c>: how the hub understood the caller's token (role, party, user), whatever its issuer.</summary>
    public static IEndpointRouteBuilder MapWhoAmI(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/me", (HttpContext http) => TypedResults.Ok(new WhoAmI(http.User.HubRole(), http.User.HubParty(), http.User.HubUser(), UnitOf(http.User))))
            .RequireHubRoles([.. HubRoles.All])
            .WithTags("Identity")
            .WithName("WhoAmI")
            .WithSummary("The hub role, party and user id the caller's token maps to.");
        return endpoints;
    }

    private static string? UnitOf(System.Security.Claims.ClaimsPrincipal user) =>
        PersonAccess.UnitOf(user) is { } unit ? $"{unit.Kind.ToString().ToLowerInvariant()}:{unit.Id}" : null;
}
