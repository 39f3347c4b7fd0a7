using System.Security.Claims;

namespace IntegrationHub.Messaging.Auth;

/// <summary>The claims every issuer's token is mapped to, whatever its own claim names.</summary>
public static class HubClaims
{
    public const string Role = "hub_role";
    public const string Party = "hub_party";
    public const string User = "hub_user";

    /// <summary>For a coordinator: whether its party is a municipality or a NAV office (both are 4 digits).</summary>
    public const string PartyKind = "hub_party_kind";

    /// <summary>The values <see cref="PartyKind"/> takes, as tokens and settings write them.</summary>
    public static IReadOnlyDictionary<string, Contracts.PartyKind> PartyKinds { get; } = new Dictionary<string, Contracts.PartyKind>(StringComparer.Ordinal)
    {
        ["nav"] = Contracts.PartyKind.Nav,
        ["municipality"] = Contracts.PartyKind.Municipality,
    };

    public static string? HubRole(this ClaimsPrincipal principal) => principal.FindFirst(Role)?.Value;

    /// <summary>HER-id for GP systems, municipality number for municipal roles, NAV office for NAV roles.</summary>
    public static string? HubParty(this ClaimsPrincipal principal) => principal.FindFirst(Party)?.Value;

    public static Contracts.PartyKind? HubPartyKind(this ClaimsPrincipal principal) =>
        principal.FindFirst(PartyKind)?.Value is { } value && PartyKinds.TryGetValue(value, out var kind) ? kind : null;

    public static string HubUser(this ClaimsPrincipal principal) => principal.FindFirst(User)?.Value ?? "unknown";
}
