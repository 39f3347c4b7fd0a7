using System.Security.Claims;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Coordination.Endpoints;

/// <summary>What every request about one person checks and answers alike: the key, the caller's unit, the audit of the look.</summary>
internal static class PersonRequests
{
    public static IResult NotAKey() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["personKey"] = ["Not a person key. Get one with POST /persons/key."] });

    public static IResult NotYours() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No person you may see", detail: "Coordination does not follow this person, or your unit does not.");

    /// <summary>The error of a request's <c>receivedVia</c>, or null when it names a way a request can come.</summary>
    public static string? ReceivedViaError(string? receivedVia) =>
        receivedVia is not null && AccessRequests.ReceivedVia.ContainsKey(receivedVia) ? null : $"How the request came, one of: {string.Join(", ", AccessRequests.ReceivedVia.Keys)}.";

    /// <summary>Whether the caller's unit follows the person now; the look is audited either way, in the caller's transaction.</summary>
    public static async Task<bool> FollowedByCallerAsync(
        HttpContext http, CoordinationDbContext db, string personKey, string resource, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var allowed = profile is not null && await ReachEndpoints.MaySeeAsync(http.User, profile, db, cancellationToken);
        db.AuditRead(http.User, personKey, resource, purpose, allowed, now);
        return allowed;
    }

    /// <summary>
    /// The answer that refuses a look at the person's records (not a key, or not followed by the
    /// caller's unit), or null when the look may go on. The look is audited and saved either way.
    /// </summary>
    public static async Task<IResult?> RefusedLookAsync(
        HttpContext http, CoordinationDbContext db, string personKey, string resource, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return NotAKey();
        }

        var allowed = await FollowedByCallerAsync(http, db, personKey, resource, purpose, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return allowed ? null : NotYours();
    }

    /// <summary>The caller's unit as a request records it, e.g. "municipality:0301".</summary>
    public static string? UnitOf(ClaimsPrincipal user) => PersonAccess.UnitOf(user) is { } unit ? $"{unit.Kind.ToString().ToLowerInvariant()}:{unit.Id}" : null;
}
