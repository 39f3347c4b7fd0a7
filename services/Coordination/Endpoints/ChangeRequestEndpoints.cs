using System.Security.Claims;
using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Consumers;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Messaging.Validation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Coordination.Endpoints;

/// <summary>
/// The person's rights to correction and deletion: registered by the care team as the request came,
/// a task for the party that owns the data (its staff see it in their list), resolved with a note by
/// either, and raised on the coordinator's worklist as its deadline nears. Each step is audited.
/// </summary>
public static class ChangeRequestEndpoints
{
    public sealed record OwnerBody(string? Party, string? Unit);

    public sealed record RegisterRequest(string? Kind, string? Concerns, OwnerBody? Owner, string? ReceivedVia);

    public sealed record ResolveRequest(string? Outcome, string? Note);

    public sealed record ChangeRequestView(
        Guid RequestId,
        string PersonKey,
        string Kind,
        string Concerns,
        string Owner,
        string? OwnerUnit,
        string OwnerName,
        string ReceivedVia,
        string RegisteredBy,
        DateTimeOffset RegisteredAt,
        DateTimeOffset DueAt,
        int Level,
        string State,
        DateTimeOffset? ResolvedAt,
        string? ResolvedBy,
        string? ResolutionNote);

    /// <summary>One open request of either kind on the coordinator's worklist.</summary>
    public sealed record OpenRightsRequest(Guid RequestId, string Kind, PersonDetailsEndpoints.PersonIdentity Person, DateTimeOffset RegisteredAt, DateTimeOffset DueAt, int Level, string? OwnerName);

    private static readonly string[] StaffRoles = [HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker];

    public static IEndpointRouteBuilder MapChangeRequests(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/persons/{personKey}/change-requests", RegisterAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("RegisterChangeRequest")
            .WithSummary("Registers the person's request to correct or delete data, as it came, for the party that owns it (gp, nav, municipality with its unit; hub for the hub's own). Audited.");
        endpoints.MapGet("/persons/{personKey}/change-requests", ListAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("ListChangeRequests")
            .WithSummary("The person's requests to correct or delete, with their deadline and outcome. Audited.");
        endpoints.MapGet("/change-requests", TasksAsync)
            .RequireHubRoles(HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .WithTags("Coordination")
            .WithName("ChangeRequestTasks")
            .WithSummary("Open requests to correct or delete data your unit owns: its task list. Audited per person.");
        endpoints.MapPost("/change-requests/{requestId:guid}/resolve", ResolveAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("ResolveChangeRequest")
            .WithSummary("Closes the request as done or refused, with a note the person can be given. By the care team or the owning unit. Audited.");
        endpoints.MapGet("/coordination/rights-requests", OpenForWorklistAsync)
            .RequireHubRoles(HubRoles.Coordinator)
            .WithTags("Coordination")
            .WithName("OpenRightsRequests")
            .WithSummary("Open access, correction and deletion requests of the people your unit follows, most urgent first, then by deadline. Audited.");
        return endpoints;
    }

    private static async Task<IResult> RegisterAsync(
        string personKey, RegisterRequest request, HttpContext http, CoordinationDbContext db, IOptions<PersonRightsOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return PersonRequests.NotAKey();
        }

        if (request.Kind is null || !AccessRequests.ChangeKinds.ContainsKey(request.Kind))
        {
            errors["kind"] = [$"One of: {string.Join(", ", AccessRequests.ChangeKinds.Keys)}."];
        }

        var concerns = request.Concerns?.Trim();
        if (concerns is not { Length: >= 3 and <= 2000 })
        {
            errors["concerns"] = ["What the person wants corrected or deleted, 3-2000 characters."];
        }

        var owner = request.Owner?.Party;
        if (owner is null || !AccessRequests.Owners.ContainsKey(owner))
        {
            errors["owner.party"] = [$"Who owns the data, one of: {string.Join(", ", AccessRequests.Owners.Keys)}."];
        }
        else if (OwnerUnitError(owner, request.Owner!.Unit) is { } unitError)
        {
            errors["owner.unit"] = [unitError];
        }

        if (PersonRequests.ReceivedViaError(request.ReceivedVia) is { } viaError)
        {
            errors["receivedVia"] = [viaError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request cannot be registered as sent.");
        }

        var now = time.GetUtcNow();
        if (!await PersonRequests.FollowedByCallerAsync(http, db, personKey, "persons/change-requests", $"register the person's request for {request.Kind}", now, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            return PersonRequests.NotYours();
        }

        var change = new ChangeRequest
        {
            Id = NewId.NextGuid(),
            PersonKey = personKey,
            Kind = request.Kind!,
            Concerns = concerns!,
            Owner = owner!,
            OwnerUnit = owner == "hub" ? null : request.Owner!.Unit,
            ReceivedVia = request.ReceivedVia!,
            RegisteredBy = http.User.HubUser(),
            RegisteredByRole = http.User.HubRole() ?? "none",
            RegisteredByUnit = PersonRequests.UnitOf(http.User),
            RegisteredAt = now,
            DueAt = now.AddMonths(options.Value.AnswerWithinMonths),
        };
        db.ChangeRequests.Add(change);
        await RightsRequestDeadlineConsumer.ScheduleAsync(db, change.Id, change.DueAt, options.Value, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/persons/{personKey}/change-requests", View(change));
    }

    private static async Task<IResult> ListAsync(string personKey, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await PersonRequests.RefusedLookAsync(http, db, personKey, "persons/change-requests", "see the person's requests to correct or delete", time.GetUtcNow(), cancellationToken) is { } refused)
        {
            return refused;
        }

        var requests = await db.ChangeRequests.AsNoTracking().Where(r => r.PersonKey == personKey).ToListAsync(cancellationToken);
        return TypedResults.Ok(requests.OrderByDescending(r => r.RegisteredAt).Select(View).ToList());
    }

    private static async Task<IResult> TasksAsync(HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (owner, unit) = OwnerOf(http.User);
        var tasks = owner is null
            ? []
            : await db.ChangeRequests.AsNoTracking().Where(r => r.State == ChangeRequestState.Open && r.Owner == owner && r.OwnerUnit == unit).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var task in tasks)
        {
            db.AuditRead(http.User, task.PersonKey, "change-requests", "see a request to correct or delete data the unit owns", granted: true, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(tasks.OrderByDescending(r => r.Level).ThenBy(r => r.DueAt).Select(View).ToList());
    }

    private static async Task<IResult> ResolveAsync(Guid requestId, ResolveRequest body, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Outcome is not (ChangeRequestState.Done or ChangeRequestState.Refused))
        {
            errors["outcome"] = ["done or refused."];
        }

        var note = body.Note?.Trim();
        if (note is not { Length: >= 3 and <= 2000 })
        {
            errors["note"] = ["What was done, or why not, for the person: 3-2000 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request cannot be closed as sent.");
        }

        var change = await db.ChangeRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (change is null)
        {
            return NoSuchRequest(requestId);
        }

        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == change.PersonKey, cancellationToken);
        var owns = OwnerOf(http.User) is var (owner, unit) && owner == change.Owner && unit == change.OwnerUnit;
        var allowed = owns || (profile is not null && await ReachEndpoints.MaySeeAsync(http.User, profile, db, cancellationToken));
        db.AuditRead(http.User, change.PersonKey, "change-requests", $"close the person's request for {change.Kind}", allowed, time.GetUtcNow());
        if (!allowed)
        {
            await db.SaveChangesAsync(cancellationToken);
            return NoSuchRequest(requestId);
        }

        if (change.State != ChangeRequestState.Open)
        {
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request is closed", detail: $"Closed {change.ResolvedAt:O} as {change.State}.");
        }

        change.State = body.Outcome!;
        change.ResolvedAt = time.GetUtcNow();
        change.ResolvedBy = $"{http.User.HubUser()} ({http.User.HubRole()})";
        change.ResolutionNote = note;
        await db.CancelTimerAsync(AccessRequests.TimerKey(change.Id), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(change));
    }

    private static async Task<IResult> OpenForWorklistAsync(HttpContext http, CoordinationDbContext db, PersonDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = await db.AccessRequests.AsNoTracking().Where(r => r.HandedOverAt == null).ToListAsync(cancellationToken);
        var changes = await db.ChangeRequests.AsNoTracking().Where(r => r.State == ChangeRequestState.Open).ToListAsync(cancellationToken);
        var keys = access.Select(r => r.PersonKey).Concat(changes.Select(r => r.PersonKey)).Distinct().ToList();
        var profiles = await db.Profiles.AsNoTracking().Where(p => keys.Contains(p.PersonKey)).ToDictionaryAsync(p => p.PersonKey, cancellationToken);
        var municipal = await ReachEndpoints.MunicipalOfAsync(db, keys, cancellationToken);
        var visible = keys.Where(k => profiles.TryGetValue(k, out var profile) && ReachEndpoints.MaySee(http.User, profile, municipal[k])).ToHashSet(StringComparer.Ordinal);
        var details = await PersonDetailsEndpoints.DetailsAsync(db, visible, cancellationToken);
        PersonDetailsEndpoints.PersonIdentity Identity(string key) => PersonDetailsEndpoints.IdentityOf(key, details.GetValueOrDefault(key), profiles[key], directory);

        var open = access.Where(r => visible.Contains(r.PersonKey))
            .Select(r => new OpenRightsRequest(r.Id, "access", Identity(r.PersonKey), r.RegisteredAt, r.DueAt, r.Level, null))
            .Concat(changes.Where(r => visible.Contains(r.PersonKey))
                .Select(r => new OpenRightsRequest(r.Id, r.Kind, Identity(r.PersonKey), r.RegisteredAt, r.DueAt, r.Level, OwnerName(r))))
            .OrderByDescending(r => r.Level).ThenBy(r => r.DueAt)
            .ToList();
        var now = time.GetUtcNow();
        foreach (var key in open.Select(r => r.Person.PersonKey).Distinct())
        {
            db.AuditRead(http.User, key, "coordination/rights-requests", "follow up the person's requests under their rights", granted: true, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(open);
    }

    /// <summary>The party kind and unit a caller's staff own data for, in a request's terms.</summary>
    private static (string? Owner, string? Unit) OwnerOf(ClaimsPrincipal user) => PersonAccess.UnitOf(user) switch
    {
        { Kind: PartyKind.Nav } unit when user.HubRole() == HubRoles.NavAdvisor => ("nav", unit.Id),
        { Kind: PartyKind.Municipality } unit when user.HubRole() == HubRoles.MunicipalCaseworker => ("municipality", unit.Id),
        _ => (null, null),
    };

    private static string? OwnerUnitError(string owner, string? unit) => owner switch
    {
        "hub" => unit is null ? null : "The hub's own records have no unit.",
        "gp" => unit is { Length: > 0 and <= 16 } && unit.All(char.IsAsciiDigit) ? null : "The GP office's HER-id (digits).",
        _ => UnitNumber.IsValid(unit) ? null : "The unit: 4 digits (NAV office or municipality number).",
    };

    private static string OwnerName(ChangeRequest request) => request.Owner switch
    {
        "hub" => AccessRequests.Owners["hub"],
        "gp" => UnitNames.Of(PartyKind.GeneralPractitioner, request.OwnerUnit),
        "nav" => UnitNames.Of(PartyKind.Nav, request.OwnerUnit),
        _ => UnitNames.Of(PartyKind.Municipality, request.OwnerUnit),
    };

    private static ChangeRequestView View(ChangeRequest r) => new(
        r.Id, r.PersonKey, r.Kind, r.Concerns, r.Owner, r.OwnerUnit, OwnerName(r), r.ReceivedVia, r.RegisteredBy, r.RegisteredAt, r.DueAt, r.Level, r.State,
        r.ResolvedAt, r.ResolvedBy, r.ResolutionNote);

    private static IResult NoSuchRequest(Guid requestId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such request", detail: $"Request {requestId} does not exist for a person your unit follows or data your unit owns.");
}
