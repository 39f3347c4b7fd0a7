using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Coordination.Endpoints;

/// <summary>
/// Who a person is (name and birth date) for the staff who follow them, so pages show people and
/// not keys; the full identifier only through an audited step; and, for coordinators, how to reach
/// the person (task necessity).
/// </summary>
public static class PersonDetailsEndpoints
{
    public const int MaxPersonsPerLookup = 200;

    public sealed record PersonIdentity(string PersonKey, PersonName? Name, DateOnly? BirthDate);

    public sealed record IdentitiesRequest(List<string>? PersonKeys);

    public sealed record IdentifierRequest(string? Purpose);

    public sealed record IdentifierAnswer(string PersonKey, string Identifier);

    public sealed record MunicipalContactView(string Municipality, string MunicipalityName, string Service, string ServiceText, string? Caseworker, DateTimeOffset Since);

    /// <summary>
    /// How a coordinator can reach the person: KRR's details, the agreed channels, the NAV office, and
    /// the municipal services with their caseworker, through whom a person without a phone is often
    /// reached (the shelter, the treatment place). The NAV advisor's ident is not in it: the office is.
    /// </summary>
    public sealed record HowToReach(
        string? Mobile,
        string? Email,
        string Krr,
        DateTimeOffset? KrrCheckedAt,
        ReachEndpoints.ChannelProfile Channels,
        string? NavOffice,
        IReadOnlyList<MunicipalContactView> Municipal);

    private static readonly string[] StaffRoles = [HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker];

    public static IEndpointRouteBuilder MapPersonDetails(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/persons/{personKey}/identity", ReadAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("PersonIdentity")
            .WithSummary("The person's name and birth date, for staff of a unit that follows them. Audited.");
        endpoints.MapPost("/persons/identities", ReadManyAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("PersonIdentities")
            .WithSummary($"Names and birth dates of up to {MaxPersonsPerLookup} people by key, those your unit follows; the others are left out. Each look is audited.");
        endpoints.MapPost("/persons/{personKey}/identifier", RevealAsync)
            .RequireHubRoles(StaffRoles)
            .WithTags("Coordination")
            .WithName("RevealPersonIdentifier")
            .WithSummary("The full fødselsnummer or D-number, with the purpose it is needed for; audited with that purpose. POST, so it is never in an address or a cache.");
        return endpoints;
    }

    public static PersonIdentity IdentityOf(string personKey, PersonDetails? details, ReachProfile? profile, PersonDirectory directory) =>
        new(personKey, directory.NameOf(details), directory.BirthDateOf(details?.SealedIdentifier ?? profile?.SealedIdentifier));

    public static async Task<Dictionary<string, PersonDetails>> DetailsAsync(CoordinationDbContext db, IReadOnlyCollection<string> personKeys, CancellationToken cancellationToken) =>
        await db.People.AsNoTracking().Where(p => personKeys.Contains(p.PersonKey)).ToDictionaryAsync(p => p.PersonKey, cancellationToken);

    public static HowToReach HowToReachOf(ReachProfile profile, IEnumerable<MunicipalContact> municipal, PersonDirectory directory)
    {
        var contact = directory.ContactOf(profile);
        return new HowToReach(
            contact?.Mobile,
            contact?.Email,
            profile.Krr,
            profile.KrrCheckedAt,
            ReachEndpoints.ChannelsOf(profile),
            profile.CaseClosedAt is null ? profile.NavOffice : null,
            municipal.OrderBy(c => c.Since).Select(c => new MunicipalContactView(
                c.Municipality,
                UnitNames.Of(PartyKind.Municipality, c.Municipality),
                c.Service,
                FollowUpVocabulary.MunicipalServices.GetValueOrDefault(c.Service, c.Service),
                c.Caseworker.Length > 0 ? c.Caseworker : null,
                c.Since)).ToList());
    }

    private static async Task<IResult> ReadAsync(string personKey, HttpContext http, CoordinationDbContext db, PersonDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return PersonRequests.NotAKey();
        }

        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var allowed = profile is not null && await ReachEndpoints.MaySeeAsync(http.User, profile, db, cancellationToken);
        db.AuditRead(http.User, personKey, "persons/identity", "see who the person is", allowed, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        if (!allowed)
        {
            return PersonRequests.NotYours();
        }

        var details = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        return TypedResults.Ok(IdentityOf(personKey, details, profile, directory));
    }

    private static async Task<IResult> ReadManyAsync(IdentitiesRequest request, HttpContext http, CoordinationDbContext db, PersonDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var keys = request.PersonKeys ?? [];
        if (keys.Count is 0 or > MaxPersonsPerLookup || keys.Any(k => !PersonKeyGenerator.LooksLikeKey(k)))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["personKeys"] = [$"1-{MaxPersonsPerLookup} person keys (POST /persons/key gives one)."] },
                title: "The people cannot be looked up as sent.");
        }

        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        var profiles = await db.Profiles.AsNoTracking().Where(p => distinct.Contains(p.PersonKey)).ToDictionaryAsync(p => p.PersonKey, cancellationToken);
        var municipal = await ReachEndpoints.MunicipalOfAsync(db, distinct, cancellationToken);
        var visible = distinct.Where(k => profiles.TryGetValue(k, out var profile) && ReachEndpoints.MaySee(http.User, profile, municipal[k])).ToList();
        var now = time.GetUtcNow();
        foreach (var key in distinct)
        {
            db.AuditRead(http.User, key, "persons/identities", "see who the person is", visible.Contains(key), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        var details = await DetailsAsync(db, visible, cancellationToken);
        return TypedResults.Ok(visible.Select(k => IdentityOf(k, details.GetValueOrDefault(k), profiles[k], directory)).ToList());
    }

    private static async Task<IResult> RevealAsync(
        string personKey, IdentifierRequest request, HttpContext http, CoordinationDbContext db, PersonDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return PersonRequests.NotAKey();
        }

        var purpose = request.Purpose?.Trim();
        if (purpose is not { Length: >= 3 and <= 200 } || purpose.Any(char.IsControl))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["purpose"] = ["Say what the number is needed for, in 3-200 characters: it is logged with the look."] },
                title: "The number is shown only for a stated purpose.");
        }

        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var details = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == personKey, cancellationToken);
        var identifier = directory.IdentifierOf(details?.SealedIdentifier ?? profile?.SealedIdentifier);
        var allowed = profile is not null && identifier is not null && await ReachEndpoints.MaySeeAsync(http.User, profile, db, cancellationToken);
        db.AuditRead(http.User, personKey, "persons/identifier", $"vis fødselsnummer: {purpose}", allowed, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return allowed ? TypedResults.Ok(new IdentifierAnswer(personKey, identifier!)) : PersonRequests.NotYours();
    }
}
