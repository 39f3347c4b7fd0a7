using System.Security.Claims;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Coordination.Endpoints;

public static class ReachEndpoints
{
    public static IReadOnlyDictionary<string, string> Channels => FollowUpVocabulary.ProfileChannels;

    public sealed record ChannelProfile(IReadOnlyList<string> Usable, string? Preferred, bool NeedsPhysicalMeetings, DateTimeOffset? AgreedAt, string? AgreedBy);

    public sealed record ChannelsRequest(List<string>? Usable, string? Preferred, bool? NeedsPhysicalMeetings);

    public sealed record SignalView(string Signal, string Source, string SourceId, DateTimeOffset OccurredAt, string? Channel);

    public sealed record CareTeamMember(string Role, string Office);

    public sealed record ReachView(
        string PersonKey,
        string Status,
        IReadOnlyList<ReachReason> Reasons,
        ChannelProfile Channels,
        string Krr,
        DateTimeOffset? KrrCheckedAt,
        DateTimeOffset? LastContactAt,
        IReadOnlyList<CareTeamMember> CareTeam,
        IReadOnlyList<SignalView> Signals);

    private static readonly string[] ReadRoles = [HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker];

    public static IEndpointRouteBuilder MapReach(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/persons/{personKey}/reach", ReadAsync)
            .RequireHubRoles(ReadRoles)
            .WithTags("Coordination")
            .WithName("PersonReach")
            .WithSummary("The person's digital reach: agreed channels, current signals, status and its reasons in plain words. Audited.");
        endpoints.MapPut("/persons/{personKey}/channels", SetChannelsAsync)
            .RequireHubRoles(ReadRoles)
            .WithTags("Coordination")
            .WithName("SetPersonChannels")
            .WithSummary("The channel profile agreed with the person: usable channels, the preferred one, whether physical meetings are needed.");
        return endpoints;
    }

    /// <summary>Whether the caller acts for a unit that follows the person now (<see cref="PersonAccess"/>).</summary>
    public static bool MaySee(ClaimsPrincipal user, ReachProfile profile, IEnumerable<MunicipalContact> municipal) =>
        PersonAccess.MaySee(user, FollowersOf(profile, municipal));

    /// <summary>The same, with the municipal services that follow the person read from the database.</summary>
    public static async Task<bool> MaySeeAsync(ClaimsPrincipal user, ReachProfile profile, CoordinationDbContext db, CancellationToken cancellationToken) =>
        MaySee(user, profile, await MunicipalOfAsync(db, profile.PersonKey, cancellationToken));

    /// <summary>The municipal services that follow the person.</summary>
    public static async Task<List<MunicipalContact>> MunicipalOfAsync(CoordinationDbContext db, string personKey, CancellationToken cancellationToken) =>
        [.. (await MunicipalOfAsync(db, [personKey], cancellationToken))[personKey]];

    /// <summary>The municipal services that follow each of the people.</summary>
    public static async Task<ILookup<string, MunicipalContact>> MunicipalOfAsync(CoordinationDbContext db, IReadOnlyCollection<string> personKeys, CancellationToken cancellationToken) =>
        (await db.MunicipalContacts.AsNoTracking().Where(c => personKeys.Contains(c.PersonKey)).ToListAsync(cancellationToken)).ToLookup(c => c.PersonKey);

    /// <summary>The units coordination knows to follow the person now: the office of an open case, and every municipal service.</summary>
    public static IReadOnlyList<PartyReference> FollowersOf(ReachProfile profile, IEnumerable<MunicipalContact> municipal)
    {
        var followers = new List<PartyReference>(2);
        if (profile.NavOffice is not null && profile.CaseClosedAt is null)
        {
            followers.Add(new PartyReference(PartyKind.Nav, profile.NavOffice));
        }

        foreach (var municipality in municipal.Select(c => c.Municipality).Prepend(profile.Municipality).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            followers.Add(new PartyReference(PartyKind.Municipality, municipality));
        }

        return followers;
    }

    /// <summary>
    /// The reasons the caller may read: a coordinator all of them; an advisor or caseworker those
    /// that rest on KRR, the clock or its own party's records. Another party's signals ("er i
    /// behandling") reach it only as routed updates, where consent decides.
    /// </summary>
    public static IReadOnlyList<ReachReason> ReasonsFor(ClaimsPrincipal user, IReadOnlyList<ReachReason> reasons) =>
        PersonAccess.SeesOwnRecordsOnly(user)
            ? reasons.Where(r => ReachRules.RevealsRecordsOf(r.Code) is not { } source || source == PersonAccess.UnitOf(user)?.Kind).ToList()
            : reasons;

    public static ChannelProfile ChannelsOf(ReachProfile profile) => new(
        profile.Channels?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
        profile.PreferredChannel,
        profile.NeedsPhysicalMeetings,
        profile.ChannelsAgreedAt,
        profile.ChannelsAgreedBy);

    /// <summary>By role and office only: never staff members' names or phone numbers.</summary>
    public static IReadOnlyList<CareTeamMember> CareTeamOf(ReachProfile profile, IEnumerable<MunicipalContact> municipal) =>
        FollowersOf(profile, municipal)
            .Select(unit => unit.Kind == PartyKind.Nav ? new CareTeamMember("NAV-veileder", $"NAV {unit.Id}") : new CareTeamMember("kommunal kontaktperson", $"kommune {unit.Id}"))
            .ToList();

    public static IReadOnlyList<ReachReason> ReasonsOf(string json) => JsonSerializer.Deserialize<List<ReachReason>>(json, ReachReview.Json) ?? [];

    private static async Task<IResult> ReadAsync(string personKey, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["personKey"] = ["Not a person key. Get one with POST /persons/key."] });
        }

        var now = time.GetUtcNow();
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var municipal = await MunicipalOfAsync(db, personKey, cancellationToken);
        var allowed = profile is not null && MaySee(http.User, profile, municipal);
        db.AuditRead(http.User, personKey, "persons/reach", "see the person's digital reach", allowed, now);
        await db.SaveChangesAsync(cancellationToken);
        if (!allowed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No reach profile you may see", detail: "Coordination does not follow this person, or your unit does not.");
        }

        var signals = db.Signals.AsNoTracking().Where(s => s.PersonKey == personKey);
        if (PersonAccess.SeesOwnRecordsOnly(http.User) && PersonAccess.UnitOf(http.User) is { } unit)
        {
            signals = signals.Where(s => s.SourceKind == unit.Kind && s.SourceId == unit.Id);
        }

        var visible = await signals.ToListAsync(cancellationToken);
        return TypedResults.Ok(new ReachView(
            personKey,
            profile!.Status,
            ReasonsFor(http.User, ReasonsOf(profile.Reasons)),
            ChannelsOf(profile),
            profile.Krr,
            profile.KrrCheckedAt,
            profile.LastContactAt,
            CareTeamOf(profile, municipal),
            visible.OrderByDescending(s => s.OccurredAt).Take(100)
                .Select(s => new SignalView(s.Signal, s.SourceKind.ToString().ToLowerInvariant(), s.SourceId, s.OccurredAt, s.Channel)).ToList()));
    }

    private static async Task<Results<Ok<ChannelProfile>, ValidationProblem, ProblemHttpResult>> SetChannelsAsync(
        string personKey, ChannelsRequest request, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            errors["personKey"] = ["Not a person key. Get one with POST /persons/key."];
        }

        var usable = request.Usable ?? [];
        if (usable.Count == 0 || usable.Any(c => c is null || !Channels.ContainsKey(c)) || usable.Distinct(StringComparer.Ordinal).Count() != usable.Count)
        {
            errors["usable"] = [$"At least one channel, each once, of: {string.Join(", ", Channels.Keys)}."];
        }

        if (request.Preferred is not null && !usable.Contains(request.Preferred))
        {
            errors["preferred"] = ["The preferred channel must be one of the usable ones."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The channel profile cannot be saved as sent.");
        }

        var now = time.GetUtcNow();
        var profile = await db.Profiles.SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        if (profile is null || !await MaySeeAsync(http.User, profile, db, cancellationToken))
        {
            db.ChangeTracker.Clear();
            db.AuditRead(http.User, personKey, "persons/channels", "agree the person's channels", granted: false, now);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No reach profile you may change", detail: "Coordination does not follow this person, or your unit does not.");
        }

        profile.Channels = string.Join(',', usable);
        profile.PreferredChannel = request.Preferred;
        profile.NeedsPhysicalMeetings = request.NeedsPhysicalMeetings ?? false;
        profile.ChannelsAgreedAt = now;
        profile.ChannelsAgreedBy = $"{http.User.HubUser()} ({http.User.HubRole()})";
        db.AuditRead(http.User, personKey, "persons/channels", "agree the person's channels", granted: true, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ChannelsOf(profile));
    }
}
