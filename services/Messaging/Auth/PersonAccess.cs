using System.Security.Claims;
using IntegrationHub.Contracts;

namespace IntegrationHub.Messaging.Auth;

/// <summary>
/// Row-level access to a person, the one rule every endpoint and page applies (DESIGN.md,
/// Security). A module knows from its own data which units follow the person now; this decides
/// whether the caller acts for one of them. Fail closed: a token without a unit sees nobody.
/// </summary>
public static class PersonAccess
{
    /// <summary>
    /// The unit the caller acts for: a NAV office for NAV roles, a municipality for municipal
    /// roles, a GP (HER-id) for GP systems, and for a coordinator the unit its token names with
    /// its kind. Null for hub-admin (no person data) and for a token without a unit.
    /// </summary>
    public static PartyReference? UnitOf(ClaimsPrincipal user)
    {
        if (user.HubParty() is not { Length: > 0 } party)
        {
            return null;
        }

        PartyKind? kind = user.HubRole() switch
        {
            HubRoles.NavAdvisor or HubRoles.NavSystem => PartyKind.Nav,
            HubRoles.MunicipalCaseworker or HubRoles.MunicipalSystem => PartyKind.Municipality,
            HubRoles.GpSystem => PartyKind.GeneralPractitioner,
            HubRoles.Coordinator => user.HubPartyKind(),
            _ => null,
        };
        return kind is { } k ? new PartyReference(k, party) : null;
    }

    /// <summary>Whether the caller may see the person, given the units that follow the person now.</summary>
    public static bool MaySee(ClaimsPrincipal user, IEnumerable<PartyReference> followers) =>
        UnitOf(user) is { } unit
        && user.HubRole() is HubRoles.NavAdvisor or HubRoles.MunicipalCaseworker or HubRoles.Coordinator
        && followers.Contains(unit);

    /// <summary>
    /// A coordinator sees what any party reported (task necessity); an advisor or caseworker only
    /// what its own unit reported. What the legal-basis table lets them see of others reaches them
    /// as routed updates, never through another module's view.
    /// </summary>
    public static bool SeesOwnRecordsOnly(ClaimsPrincipal user) => user.HubRole() is not HubRoles.Coordinator;
}
