using System.Security.Claims;

namespace IntegrationHub.Messaging.Auth;

/// <summary>The claims every issuer's token is mapped to, whatever its own claim names.</summary>
public static class HubClaims
{
    public const string Role = "hub_role";
    public const string Party = "hub_party";
    public const string User = "hub_user";

    public static string? HubRole(this ClaimsPrincipal principal) => principal.FindFirst(Role)?.Value;

    /// <summary>HER-id for GP systems, municipality number for municipal roles, NAV office for NAV roles.</summary>
    public static string? HubParty(this ClaimsPrincipal principal) => principal.FindFirst(Party)?.Value;

    public static string HubUser(this ClaimsPrincipal principal) => principal.FindFirst(User)?.Value ?? "unknown";
}
