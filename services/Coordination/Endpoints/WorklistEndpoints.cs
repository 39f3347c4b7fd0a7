using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Coordination.Endpoints;

public static class WorklistEndpoints
{
    public sealed record WorklistItem(
        Guid EscalationId,
        string PersonKey,
        string State,
        int Level,
        DateTimeOffset RaisedAt,
        int DaysSinceContact,
        DateTimeOffset? LastContactAt,
        string Status,
        IReadOnlyList<ReachReason> Reasons,
        ReachEndpoints.ChannelProfile Channels,
        IReadOnlyList<ReachEndpoints.CareTeamMember> CareTeam,
        int ContactAttempts,
        PersonDetailsEndpoints.PersonIdentity Person,
        PersonDetailsEndpoints.HowToReach Reach);

    public static IEndpointRouteBuilder MapWorklist(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/coordination/worklist", ListAsync)
            .RequireHubRoles(HubRoles.Coordinator)
            .WithTags("Coordination")
            .WithName("CoordinatorWorklist")
            .WithSummary("Open escalations, longest without contact first, then oldest first; by municipality or NAV office. Audited.");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, CoordinationDbContext db, PersonDirectory directory, TimeProvider time, string? municipality, string? navOffice, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (municipality is not null && !UnitNumber.IsValid(municipality))
        {
            errors["municipality"] = ["A municipality number: 4 digits."];
        }

        if (navOffice is not null && !UnitNumber.IsValid(navOffice))
        {
            errors["navOffice"] = ["A NAV unit number: 4 digits."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The worklist cannot be filtered like this.");
        }

        var open = await db.Escalations.AsNoTracking().Where(e => e.State != EscalationState.Resolved).ToListAsync(cancellationToken);
        var keys = open.Select(e => e.PersonKey).Distinct().ToList();
        var profiles = await db.Profiles.AsNoTracking().Where(p => keys.Contains(p.PersonKey)).ToDictionaryAsync(p => p.PersonKey, cancellationToken);
        var ids = open.Select(e => e.Id).ToList();
        var attempts = await db.ContactAttempts.AsNoTracking().Where(a => ids.Contains(a.EscalationId)).GroupBy(a => a.EscalationId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var details = await PersonDetailsEndpoints.DetailsAsync(db, keys, cancellationToken);
        var municipal = await ReachEndpoints.MunicipalOfAsync(db, keys, cancellationToken);
        var now = time.GetUtcNow();

        // Ranked by silence, not by who makes most noise: the longest without contact comes first.
        var items = open
            .Where(e => profiles.ContainsKey(e.PersonKey))
            .Select(e => (Escalation: e, Profile: profiles[e.PersonKey]))
            // A coordinator works for one unit and sees only the people it follows, not the whole country.
            .Where(x => ReachEndpoints.MaySee(http.User, x.Profile, municipal[x.Profile.PersonKey]))
            .Where(x => municipality is null || x.Profile.Municipality == municipality || municipal[x.Profile.PersonKey].Any(c => c.Municipality == municipality))
            .Where(x => navOffice is null || x.Profile.NavOffice == navOffice)
            .Select(x =>
            {
                var quietSince = x.Profile.LastContactAt ?? x.Profile.FollowedSince;
                return new WorklistItem(
                    x.Escalation.Id, x.Escalation.PersonKey, x.Escalation.State, x.Escalation.Level, x.Escalation.RaisedAt,
                    Math.Max(0, (int)(now - quietSince).TotalDays), x.Profile.LastContactAt, x.Profile.Status,
                    ReachEndpoints.ReasonsOf(x.Escalation.Reasons), ReachEndpoints.ChannelsOf(x.Profile), ReachEndpoints.CareTeamOf(x.Profile, municipal[x.Profile.PersonKey]),
                    attempts.GetValueOrDefault(x.Escalation.Id),
                    PersonDetailsEndpoints.IdentityOf(x.Profile.PersonKey, details.GetValueOrDefault(x.Profile.PersonKey), x.Profile, directory),
                    PersonDetailsEndpoints.HowToReachOf(x.Profile, municipal[x.Profile.PersonKey], directory));
            })
            .OrderByDescending(i => i.DaysSinceContact)
            .ThenBy(i => i.RaisedAt)
            .ToList();

        foreach (var item in items)
        {
            db.AuditRead(http.User, item.PersonKey, "coordination/worklist", "follow up people who are not reached", granted: true, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(items);
    }
}
