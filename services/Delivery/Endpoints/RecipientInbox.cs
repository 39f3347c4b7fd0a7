using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Endpoints;

/// <summary>Paging and filters of <c>GET /inbox</c>.</summary>
public sealed record InboxQuery(int Page, int PageSize, string? PersonKey, bool UnacknowledgedOnly);

/// <summary>One person's updates in an inbox, newest first.</summary>
public sealed record InboxPerson(string PersonKey, DateTimeOffset LatestAt, int Unacknowledged, IReadOnlyList<UpdateView> Updates);

public sealed record InboxPage(int Page, int PageSize, int TotalPersons, IReadOnlyList<InboxPerson> Persons);

public sealed record AcknowledgedUpdate(Guid UpdateId, DateTimeOffset AcknowledgedAt, string AcknowledgedBy, bool AlreadyAcknowledged);

/// <summary>An adapter's inbox for one staff role. <c>GET /inbox</c> serves the caller's role from the one registered for it.</summary>
public interface IRecipientInbox
{
    string Role { get; }

    Task<IResult> ListAsync(HttpContext http, InboxQuery query, CancellationToken cancellationToken);

    Task<IResult> AcknowledgeAsync(HttpContext http, Guid updateId, CancellationToken cancellationToken);
}

/// <summary>
/// The inbox of a party's staff: updates delivered to the caller's own unit, for the people that
/// unit follows (row-level access), grouped per person and paged. Every person shown is audited,
/// and so is an attempt to look at a person the unit does not follow.
/// </summary>
public abstract class RecipientInbox<TContext>(TContext db, TimeProvider time) : IRecipientInbox
    where TContext : DeliveryDbContext
{
    public const int UpdatesPerPerson = 50;

    public abstract string Role { get; }

    protected abstract PartyKind Recipient { get; }

    protected TContext Db => db;

    /// <summary>The person keys the caller's unit follows now (an open NAV case, a municipal follow-up).</summary>
    protected abstract IQueryable<string> FollowedBy(string party);

    public async Task<IResult> ListAsync(HttpContext http, InboxQuery query, CancellationToken cancellationToken)
    {
        var party = http.User.HubParty();
        var now = time.GetUtcNow();
        if (party is null)
        {
            return NoParty();
        }

        var followed = FollowedBy(party);
        if (query.PersonKey is { } asked && !await followed.AnyAsync(p => p == asked, cancellationToken))
        {
            db.AuditRead(http.User, asked, "inbox", "read the person's updates in the inbox", granted: false, now);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(new InboxPage(query.Page, query.PageSize, 0, []));
        }

        var mine = db.DeliveredUpdates.AsNoTracking()
            .Where(u => u.RecipientKind == Recipient && u.RecipientId == party && u.Visible && followed.Contains(u.PersonKey));
        if (query.PersonKey is not null)
        {
            mine = mine.Where(u => u.PersonKey == query.PersonKey);
        }

        if (query.UnacknowledgedOnly)
        {
            mine = mine.Where(u => u.AcknowledgedAt == null);
        }

        var persons = mine.GroupBy(u => u.PersonKey).Select(g => new { PersonKey = g.Key, LatestAt = g.Max(u => u.StoredAt) });
        var total = await persons.CountAsync(cancellationToken);
        var page = await persons
            .OrderByDescending(p => p.LatestAt)
            .ThenBy(p => p.PersonKey)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        var keys = page.Select(p => p.PersonKey).ToList();
        var updates = await mine.Where(u => keys.Contains(u.PersonKey)).ToListAsync(cancellationToken);

        var result = page.Select(p =>
        {
            var own = updates.Where(u => u.PersonKey == p.PersonKey).OrderByDescending(u => u.StoredAt).ToList();
            return new InboxPerson(
                p.PersonKey,
                p.LatestAt,
                own.Count(u => u.AcknowledgedAt is null),
                own.Take(UpdatesPerPerson).Select(u => UpdateView.From(u, UpdateInbox<TContext>.Read(u))).ToList());
        }).ToList();
        foreach (var key in keys)
        {
            db.AuditRead(http.User, key, "inbox", "read the person's updates in the inbox", granted: true, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new InboxPage(query.Page, query.PageSize, total, result));
    }

    public async Task<IResult> AcknowledgeAsync(HttpContext http, Guid updateId, CancellationToken cancellationToken)
    {
        var party = http.User.HubParty();
        if (party is null)
        {
            return NoParty();
        }

        var now = time.GetUtcNow();
        var stored = await db.DeliveredUpdates.SingleOrDefaultAsync(u => u.Id == updateId && u.Visible, cancellationToken);
        if (stored is null || stored.RecipientKind != Recipient || stored.RecipientId != party
            || !await FollowedBy(party).AnyAsync(p => p == stored.PersonKey, cancellationToken))
        {
            if (stored is not null)
            {
                db.ChangeTracker.Clear();
                db.AuditRead(http.User, stored.PersonKey, "inbox/ack", "acknowledge an update", granted: false, now);
                await db.SaveChangesAsync(cancellationToken);
            }

            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such update in your inbox", detail: $"Update {updateId} is not in your unit's inbox.");
        }

        if (stored.AcknowledgedAt is { } earlier)
        {
            return TypedResults.Ok(new AcknowledgedUpdate(stored.Id, earlier, stored.AcknowledgedBy!, true));
        }

        stored.AcknowledgedAt = now;
        stored.AcknowledgedBy = http.User.HubUser();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new AcknowledgedUpdate(stored.Id, now, stored.AcknowledgedBy, false));
    }

    private static IResult NoParty() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Your token names no unit",
        detail: "An inbox belongs to a NAV office or a municipality; the token must carry it.");
}
