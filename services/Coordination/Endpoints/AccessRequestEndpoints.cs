using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Coordination.Endpoints;

/// <summary>
/// The person's right of access (innsyn): a member of the care team registers the request as it came
/// (in person, by phone, by letter; no BankID), every module sends its part, and the whole answer is
/// read and handed over here. Each step is audited.
/// </summary>
public static class AccessRequestEndpoints
{
    public sealed record RegisterRequest(string? ReceivedVia, string? Note);

    public sealed record HandOverRequest(string? Via);

    public sealed record AccessRequestView(
        Guid RequestId,
        string PersonKey,
        string ReceivedVia,
        string? Note,
        string RegisteredBy,
        string? RegisteredByUnit,
        DateTimeOffset RegisteredAt,
        DateTimeOffset DueAt,
        string State,
        DateTimeOffset? HandedOverAt,
        string? HandedOverBy,
        string? HandedOverVia,
        IReadOnlyList<string> Missing,
        int Level);

    /// <summary>Everything the hub holds about the person, module by module, as of each module's <c>CompiledAt</c>.</summary>
    public sealed record AccessReport(AccessRequestView Request, PersonDetailsEndpoints.PersonIdentity Person, IReadOnlyList<HeldRecords> Sections);

    private static readonly string[] StaffRoles = [HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker];

    public static IEndpointRouteBuilder MapAccessRequests(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/persons/{personKey}/access-requests", RegisterAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("RegisterAccessRequest")
            .WithSummary("Registers the person's request to see what the hub holds (innsyn), as it came: in-person, phone or letter. Answer within Coordination:PersonRights:AnswerWithinMonths (1). Audited.");
        endpoints.MapGet("/persons/{personKey}/access-requests", ListAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("ListAccessRequests")
            .WithSummary("The person's access requests, with their deadline and which modules have not answered yet. Audited.");
        endpoints.MapGet("/access-requests/{requestId:guid}", ReportAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("AccessReport")
            .WithSummary("Everything the hub holds about the person, module by module, in plain bokmål: the answer to the access request. Audited.");
        endpoints.MapPost("/access-requests/{requestId:guid}/handed-over", HandOverAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("AccessReportHandedOver")
            .WithSummary("Records that the answer was handed to the person: in-person, post or digital. Audited.");
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

        if (PersonRequests.ReceivedViaError(request.ReceivedVia) is { } viaError)
        {
            errors["receivedVia"] = [viaError];
        }

        if (request.Note is { Length: > 2000 })
        {
            errors["note"] = ["At most 2000 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The access request cannot be registered as sent.");
        }

        var now = time.GetUtcNow();
        if (!await PersonRequests.FollowedByCallerAsync(http, db, personKey, "persons/access-requests", "register the person's access request (innsyn)", now, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            return PersonRequests.NotYours();
        }

        var accessRequest = new AccessRequest
        {
            Id = NewId.NextGuid(),
            PersonKey = personKey,
            ReceivedVia = request.ReceivedVia!,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            RegisteredBy = http.User.HubUser(),
            RegisteredByRole = http.User.HubRole() ?? "none",
            RegisteredByUnit = PersonRequests.UnitOf(http.User),
            RegisteredAt = now,
            DueAt = now.AddMonths(options.Value.AnswerWithinMonths),
        };
        db.AccessRequests.Add(accessRequest);
        db.Publish(new AccessRequested(accessRequest.Id, new PersonReference(personKey), now));
        await Consumers.RightsRequestDeadlineConsumer.ScheduleAsync(db, accessRequest.Id, accessRequest.DueAt, options.Value, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/access-requests/{accessRequest.Id}", View(accessRequest, []));
    }

    private static async Task<IResult> ListAsync(string personKey, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await PersonRequests.RefusedLookAsync(http, db, personKey, "persons/access-requests", "see the person's access requests", time.GetUtcNow(), cancellationToken) is { } refused)
        {
            return refused;
        }

        var requests = await db.AccessRequests.AsNoTracking().Where(r => r.PersonKey == personKey).ToListAsync(cancellationToken);
        var ids = requests.Select(r => r.Id).ToList();
        var answered = (await db.AccessReportSections.AsNoTracking().Where(s => ids.Contains(s.RequestId)).Select(s => new { s.RequestId, s.Module }).ToListAsync(cancellationToken))
            .ToLookup(s => s.RequestId, s => s.Module);
        return TypedResults.Ok(requests.OrderByDescending(r => r.RegisteredAt).Select(r => View(r, answered[r.Id])).ToList());
    }

    private static async Task<IResult> ReportAsync(
        Guid requestId, HttpContext http, CoordinationDbContext db, PersonDirectory directory, PersonIdentifierSealer sealer, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, refusal) = await FindAsync(requestId, http, db, time, "innsyn: produce everything the hub holds about the person", cancellationToken);
        if (request is null)
        {
            return refusal!;
        }

        var sections = await db.AccessReportSections.AsNoTracking().Where(s => s.RequestId == requestId).ToListAsync(cancellationToken);
        var details = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == request.PersonKey, cancellationToken);
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == request.PersonKey, cancellationToken);
        var held = sections
            .OrderBy(s => IndexOf(s.Module))
            .Select(s => sealer.OpenRecords(s.SealedRecords) ?? throw new InvalidOperationException($"The {s.Module} part of access request {requestId} does not open with this hub's secret."))
            .ToList();
        return TypedResults.Ok(new AccessReport(View(request, sections.Select(s => s.Module)), PersonDetailsEndpoints.IdentityOf(request.PersonKey, details, profile, directory), held));
    }

    private static async Task<IResult> HandOverAsync(Guid requestId, HandOverRequest body, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Via is null || !AccessRequests.HandOverVia.ContainsKey(body.Via))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["via"] = [$"How it was handed over, one of: {string.Join(", ", AccessRequests.HandOverVia.Keys)}."] },
                title: "The hand-over cannot be recorded as sent.");
        }

        var (request, refusal) = await FindAsync(requestId, http, db, time, "innsyn: hand the answer over to the person", cancellationToken, tracked: true);
        if (request is null)
        {
            return refusal!;
        }

        var answered = await db.AccessReportSections.AsNoTracking().Where(s => s.RequestId == requestId).Select(s => s.Module).ToListAsync(cancellationToken);
        if (request.HandedOverAt is null)
        {
            if (AccessRequests.HoldingModules.Except(answered).Any())
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The answer is not complete yet",
                    detail: $"Waiting for: {string.Join(", ", AccessRequests.HoldingModules.Except(answered))}. Hand it over when every part has come.");
            }

            request.HandedOverAt = time.GetUtcNow();
            request.HandedOverBy = http.User.HubUser();
            request.HandedOverVia = body.Via;
            await db.CancelTimerAsync(AccessRequests.TimerKey(request.Id), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(request, answered));
    }

    /// <summary>The request when the caller's unit follows its person; refused otherwise, and the refused look audited.</summary>
    private static async Task<(AccessRequest? Request, IResult? Refusal)> FindAsync(
        Guid requestId, HttpContext http, CoordinationDbContext db, TimeProvider time, string purpose, CancellationToken cancellationToken, bool tracked = false)
    {
        var requests = tracked ? db.AccessRequests : db.AccessRequests.AsNoTracking();
        var request = await requests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return (null, NoSuchRequest(requestId));
        }

        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == request.PersonKey, cancellationToken);
        var allowed = profile is not null && await ReachEndpoints.MaySeeAsync(http.User, profile, db, cancellationToken);
        db.AuditRead(http.User, request.PersonKey, "access-requests", purpose, allowed, time.GetUtcNow());
        if (!allowed)
        {
            await db.SaveChangesAsync(cancellationToken);
            return (null, NoSuchRequest(requestId));
        }

        if (!tracked)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return (request, null);
    }

    private static AccessRequestView View(AccessRequest request, IEnumerable<string> answered)
    {
        var missing = AccessRequests.HoldingModules.Except(answered).ToList();
        var state = request.HandedOverAt is not null ? AccessRequestState.HandedOver : missing.Count == 0 ? AccessRequestState.Ready : AccessRequestState.Compiling;
        return new AccessRequestView(
            request.Id, request.PersonKey, request.ReceivedVia, request.Note, request.RegisteredBy, request.RegisteredByUnit, request.RegisteredAt, request.DueAt,
            state, request.HandedOverAt, request.HandedOverBy, request.HandedOverVia, missing, request.Level);
    }

    private static int IndexOf(string module)
    {
        var index = AccessRequests.HoldingModules.ToList().IndexOf(module);
        return index < 0 ? int.MaxValue : index;
    }

    private static IResult NoSuchRequest(Guid requestId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such access request", detail: $"Access request {requestId} does not exist for a person your unit follows.");
}
