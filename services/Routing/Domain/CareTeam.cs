using IntegrationHub.Contracts;
using IntegrationHub.Routing.Persistence;
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

    /// <summary>Whether the caller's organisation follows the person (row-level access).</summary>
    public Task<bool> FollowsAsync(string personKey, PartyKind kind, string? partyId, CancellationToken cancellationToken) =>
        partyId is null
            ? Task.FromResult(false)
            : db.CareTeam.AnyAsync(m => m.PersonKey == personKey && m.Kind == kind && m.PartyId == partyId, cancellationToken);
}
