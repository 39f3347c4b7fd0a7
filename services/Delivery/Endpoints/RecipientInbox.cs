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

    Task<IResult> TimelineAsync(HttpContext http, string personKey, CancellationToken cancellationToken);

    Task<IResult> DeliveriesAsync(HttpContext http, Guid updateId, CancellationToken cancellationToken);
}

/// <summary>An update's webhook status and every call made to deliver it.</summary>
public sealed record DeliveryHistory(Guid UpdateId, string WebhookStatus, int FailedAttempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, IReadOnlyList<DeliveryCall> Calls);

public sealed record DeliveryCall(DateTimeOffset At, string Outcome, int? StatusCode, string? Error);

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

    /// <summary>What the caller's own unit (<paramref name="party"/>) reported about the person, as timeline lines; never another unit's records.</summary>
    protected abstract Task<IReadOnlyList<TimelineEntry>> OwnEventsAsync(string party, string personKey, CancellationToken cancellationToken);

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

        var result = new List<InboxPerson>();
        foreach (var p in page)
        {
            var own = updates.Where(u => u.PersonKey == p.PersonKey).OrderByDescending(u => u.StoredAt).ToList();
            var views = new List<UpdateView>();
            foreach (var update in own.Take(UpdatesPerPerson))
            {
                var view = UpdateView.From(update, UpdateInbox<TContext>.Read(update));
                views.Add(update.Kind == UpdateKinds.HandoverSummary
                    ? view with { Handover = await TimelineOfAsync(party, update.PersonKey, update.OccurredAt, cancellationToken) }
                    : view);
            }

            result.Add(new InboxPerson(p.PersonKey, p.LatestAt, own.Count(u => u.AcknowledgedAt is null), views));
        }

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
        var stored = await FindOwnAsync(http, party, updateId, "inbox/ack", "acknowledge an update", cancellationToken);
        if (stored is null)
        {
            return NotInInbox(updateId);
        }

        if (stored.AcknowledgedAt is { } earlier)
        {
            return TypedResults.Ok(new AcknowledgedUpdate(stored.Id, earlier, stored.AcknowledgedBy!, true));
        }

        stored.AcknowledgedAt = now;
        stored.AcknowledgedBy = http.User.HubUser();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The webhook worker or a retraction changed the row meanwhile (content and push status are
            // concurrency tokens): mark it read on the row as it is now.
            await db.Entry(stored).ReloadAsync(cancellationToken);
            stored.AcknowledgedAt ??= now;
            stored.AcknowledgedBy ??= http.User.HubUser();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(new AcknowledgedUpdate(stored.Id, stored.AcknowledgedAt.Value, stored.AcknowledgedBy!, false));
    }

    public async Task<IResult> DeliveriesAsync(HttpContext http, Guid updateId, CancellationToken cancellationToken)
    {
        var party = http.User.HubParty();
        if (party is null)
        {
            return NoParty();
        }

        var stored = await FindOwnAsync(http, party, updateId, "inbox/deliveries", "see how an update was delivered", cancellationToken);
        if (stored is null)
        {
            return NotInInbox(updateId);
        }

        var calls = await db.WebhookAttempts.AsNoTracking().Where(a => a.UpdateId == updateId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new DeliveryHistory(
            stored.Id, stored.WebhookStatus, stored.WebhookAttempts, stored.NextAttemptAt, stored.WebhookDeliveredAt,
            calls.Select(c => new DeliveryCall(c.At, c.Outcome, c.StatusCode, c.Error)).ToList()));
    }

    /// <summary>The update when it is in the caller's unit's inbox, for a person the unit follows; else null, and a refused attempt is audited.</summary>
    private async Task<DeliveredUpdate?> FindOwnAsync(HttpContext http, string party, Guid updateId, string resource, string purpose, CancellationToken cancellationToken)
    {
        var stored = await db.DeliveredUpdates.SingleOrDefaultAsync(u => u.Id == updateId && u.Visible, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (stored.RecipientKind == Recipient && stored.RecipientId == party && await FollowedBy(party).AnyAsync(p => p == stored.PersonKey, cancellationToken))
        {
            return stored;
        }

        db.ChangeTracker.Clear();
        db.AuditRead(http.User, stored.PersonKey, resource, purpose, granted: false, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private static IResult NotInInbox(Guid updateId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such update in your inbox", detail: $"Update {updateId} is not in your unit's inbox.");

    public async Task<IResult> TimelineAsync(HttpContext http, string personKey, CancellationToken cancellationToken)
    {
        var party = http.User.HubParty();
        var now = time.GetUtcNow();
        if (party is null || http.User.HubRole() != Role || !await FollowedBy(party).AnyAsync(p => p == personKey, cancellationToken))
        {
            db.AuditRead(http.User, personKey, "persons/timeline", "read the person's timeline", granted: false, now);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not a person your unit follows",
                detail: "The timeline is shown to the units that follow the person now.");
        }

        var timeline = await TimelineOfAsync(party, personKey, upTo: null, cancellationToken);
        db.AuditRead(http.User, personKey, "persons/timeline", "read the person's timeline", granted: true, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(timeline);
    }

    /// <summary>
    /// The person's timeline as this unit may see it: its party's own events and the updates
    /// delivered to it, oldest first, as they stand after any retraction.
    /// </summary>
    protected async Task<IReadOnlyList<TimelineEntry>> TimelineOfAsync(string party, string personKey, DateTimeOffset? upTo, CancellationToken cancellationToken)
    {
        var delivered = await db.DeliveredUpdates.AsNoTracking()
            .Where(u => u.PersonKey == personKey && u.RecipientKind == Recipient && u.RecipientId == party && u.Visible && u.Kind != UpdateKinds.HandoverSummary)
            .ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>(await OwnEventsAsync(party, personKey, cancellationToken));
        foreach (var stored in delivered)
        {
            var update = UpdateInbox<TContext>.Read(stored);
            if (update.HasContent || stored.Correction is not null)
            {
                var view = UpdateView.From(stored, update);
                entries.Add(new TimelineEntry(update.OccurredAt, update.Source, update.Kind, view.Summary, view));
            }
        }

        return entries.Where(e => upTo is null || e.At <= upTo).OrderBy(e => e.At).ToList();
    }

    private static IResult NoParty() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Your token names no unit",
        detail: "An inbox belongs to a NAV office or a municipality; the token must carry it.");
}
