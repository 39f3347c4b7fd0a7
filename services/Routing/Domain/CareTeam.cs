using IntegrationHub.Contracts;
using IntegrationHub.Routing.Persistence;
using System.Security.Claims;
using IntegrationHub.Messaging.Auth;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Domain;

/// <summary>Keeps each person's care team from the events of the parties.</summary>
public sealed class CareTeam(RoutingDbContext db)
{
    /// <param name="onlyOne">A person has one responsible NAV office: a new one replaces the old.</param>
    public async Task JoinAsync(string personKey, PartyKind kind, string partyId, string? userId, DateTimeOffset since, bool onlyOne, CancellationToken cancellationToken)
    {
        var members = await db.CareTeam.Where(m => m.PersonKey == personKey && m.Kind == kind).ToListAsync(cancellationToken);
        var existing = members.FirstOrDefault(m => m.PartyId == partyId);
        if (onlyOne)
        {
            db.CareTeam.RemoveRange(members.Where(m => m != existing));
        }

        if (existing is null)
        {
            db.CareTeam.Add(new CareTeamMember { PersonKey = personKey, Kind = kind, PartyId = partyId, UserId = userId, Since = since });
        }
        else if (userId is not null)
        {
            existing.UserId = userId;
        }
    }

    /// <summary>The unit's follow-up ended: from now nothing is routed to it.</summary>
    public async Task LeaveAsync(string personKey, PartyKind kind, string partyId, CancellationToken cancellationToken) =>
        db.CareTeam.RemoveRange(await db.CareTeam.Where(m => m.PersonKey == personKey && m.Kind == kind && m.PartyId == partyId).ToListAsync(cancellationToken));

    /// <summary>The units that follow the person now.</summary>
    public async Task<IReadOnlyList<PartyReference>> FollowersAsync(string personKey, CancellationToken cancellationToken) =>
        (await db.CareTeam.AsNoTracking().Where(m => m.PersonKey == personKey).Select(m => new { m.Kind, m.PartyId }).ToListAsync(cancellationToken))
            .Select(m => new PartyReference(m.Kind, m.PartyId))
            .ToList();

    /// <summary>Whether the caller acts for a unit that follows the person now (<see cref="PersonAccess"/>).</summary>
    public async Task<bool> MaySeeAsync(ClaimsPrincipal user, string personKey, CancellationToken cancellationToken) =>
        PersonAccess.UnitOf(user) is not null && PersonAccess.MaySee(user, await FollowersAsync(personKey, cancellationToken));
}
