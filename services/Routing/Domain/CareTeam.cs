using IntegrationHub.Contracts;
using IntegrationHub.Routing.Persistence;
using System.Security.Claims;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Domain;

/// <summary>Keeps each person's care team from the events of the parties.</summary>
public sealed class CareTeam(RoutingDbContext db, RetentionOptions retention, TimeProvider time)
{
    /// <summary>The durable timer that deletes the person's data once nobody has followed them for the retention period.</summary>
    public static string RetentionTimerKey(string personKey) => $"retention:{personKey}";

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

        if (kind is PartyKind.Nav or PartyKind.Municipality)
        {
            // Followed again: the data is needed again.
            await db.CancelTimerAsync(RetentionTimerKey(personKey), cancellationToken);
        }
    }

    /// <summary>The unit's follow-up ended: from now nothing is routed to it.</summary>
    /// <remarks>
    /// When the last NAV office or municipality leaves, the retention period starts: a GP that sent a
    /// certificate does not follow the person in the hub's sense, so it keeps nothing alive.
    /// </remarks>
    public async Task LeaveAsync(string personKey, PartyKind kind, string partyId, CancellationToken cancellationToken)
    {
        // Two units leaving at once must not each see the other still there (and nobody start the
        // period): on PostgreSQL the second waits for the first's rows; on SQLite the write turn does it.
        var members = db.Database.IsSqlite()
            ? await db.CareTeam.Where(m => m.PersonKey == personKey).ToListAsync(cancellationToken)
            : await db.CareTeam.FromSql($"SELECT * FROM care_team WHERE \"PersonKey\" = {personKey} FOR UPDATE").ToListAsync(cancellationToken);
        var leaving = members.Where(m => m.Kind == kind && m.PartyId == partyId).ToList();
        db.CareTeam.RemoveRange(leaving);
        if (leaving.Count > 0 && !members.Except(leaving).Any(m => m.Kind is PartyKind.Nav or PartyKind.Municipality))
        {
            var now = time.GetUtcNow();
            await db.ScheduleAsync(new RetentionDue(personKey, now), now + retention.AfterFollowUpEnds, RetentionTimerKey(personKey), cancellationToken);
        }
    }

    /// <summary>The units that follow the person now.</summary>
    public async Task<IReadOnlyList<PartyReference>> FollowersAsync(string personKey, CancellationToken cancellationToken) =>
        (await db.CareTeam.AsNoTracking().Where(m => m.PersonKey == personKey).Select(m => new { m.Kind, m.PartyId }).ToListAsync(cancellationToken))
            .Select(m => new PartyReference(m.Kind, m.PartyId))
            .ToList();

    /// <summary>Whether the caller acts for a unit that follows the person now (<see cref="PersonAccess"/>).</summary>
    public async Task<bool> MaySeeAsync(ClaimsPrincipal user, string personKey, CancellationToken cancellationToken) =>
        PersonAccess.UnitOf(user) is not null && PersonAccess.MaySee(user, await FollowersAsync(personKey, cancellationToken));
}

/// <summary>Durable timer: the retention period after the person's follow-up ended has passed.</summary>
public sealed record RetentionDue(string PersonKey, DateTimeOffset FollowUpEndedAt);
