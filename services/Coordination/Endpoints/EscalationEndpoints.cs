using System.Globalization;
using IntegrationHub.Contracts;
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

public static class EscalationEndpoints
{
    public static IReadOnlyDictionary<string, string> AttemptChannels => FollowUpVocabulary.AttemptChannels;

    public static IEnumerable<string> AttemptOutcomes => FollowUpVocabulary.AttemptOutcomes.Keys;

    public static IReadOnlyDictionary<string, string> Resolutions => FollowUpVocabulary.Resolutions;

    public sealed record ContactAttemptRequest(string? Channel, string? Outcome, string? At, string? Note);

    public sealed record ResolveRequest(string? Resolution, string? Note);

    public sealed record EscalationView(Guid EscalationId, string PersonKey, string State, int Level, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt, string? Resolution);

    public sealed record ContactAttemptView(DateTimeOffset At, string Channel, string ChannelText, string Outcome, string? Note, string RecordedBy);

    /// <summary>One escalation with its reasons and every contact attempt, for the coordinator's escalation page.</summary>
    public sealed record EscalationDetail(
        Guid EscalationId,
        string PersonKey,
        string State,
        int Level,
        DateTimeOffset RaisedAt,
        IReadOnlyList<ReachReason> Reasons,
        DateTimeOffset? AcknowledgedAt,
        string? AcknowledgedBy,
        DateTimeOffset? ResolvedAt,
        string? Resolution,
        string? ResolutionText,
        string? ResolutionNote,
        IReadOnlyList<ContactAttemptView> Attempts,
        PersonDetailsEndpoints.PersonIdentity Person,
        PersonDetailsEndpoints.HowToReach Reach);

    public static IEndpointRouteBuilder MapEscalations(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/coordination/escalations/{escalationId:guid}").RequireHubRoles(HubRoles.Coordinator).WithTags("Coordination");
        group.MapGet("/", ReadAsync).WithName("ReadEscalation")
            .WithSummary("The escalation, its reasons in plain words and every contact attempt, also once resolved. Audited.");
        group.MapPost("/acknowledge", AcknowledgeAsync).WithName("AcknowledgeEscalation")
            .WithSummary("A coordinator takes the escalation: it is not raised again.");
        group.MapPost("/contact-attempts", AttemptAsync).WithName("RecordContactAttempt")
            .WithSummary("One try to reach the person: the channel (phone, SMS, home visit, office, via the municipal contact, via the treatment place) and how it went.");
        group.MapPost("/resolve", ResolveAsync).WithName("ResolveEscalation")
            .WithSummary("Closes the escalation: reached, handed to the municipal contact, person declined, moved or died. Needs a note.");
        return endpoints;
    }

    /// <summary>
    /// The escalation when it is about a person the coordinator's unit follows; any other is
    /// answered as not existing, and the refused look is audited. With the person's profile and
    /// municipal contacts, which deciding that took.
    /// </summary>
    private static async Task<(Escalation Escalation, ReachProfile Profile, List<MunicipalContact> Municipal)?> FindOwnAsync(Guid escalationId, HttpContext http, CoordinationDbContext db, TimeProvider time, string purpose, CancellationToken cancellationToken)
    {
        var escalation = await db.Escalations.SingleOrDefaultAsync(e => e.Id == escalationId, cancellationToken);
        if (escalation is null)
        {
            return null;
        }

        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == escalation.PersonKey, cancellationToken);
        var municipal = await ReachEndpoints.MunicipalOfAsync(db, escalation.PersonKey, cancellationToken);
        if (profile is not null && ReachEndpoints.MaySee(http.User, profile, municipal))
        {
            return (escalation, profile, municipal);
        }

        db.ChangeTracker.Clear();
        db.AuditRead(http.User, escalation.PersonKey, "coordination/escalations", purpose, granted: false, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private static IResult NoSuchEscalation(Guid escalationId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such escalation", detail: $"Escalation {escalationId} does not exist for a person your unit follows.");

    private static async Task<(Escalation? Escalation, IResult? Problem)> FindAsync(Guid escalationId, HttpContext http, CoordinationDbContext db, TimeProvider time, string purpose, CancellationToken cancellationToken)
    {
        var escalation = (await FindOwnAsync(escalationId, http, db, time, purpose, cancellationToken))?.Escalation;
        return escalation is null
            ? (null, NoSuchEscalation(escalationId))
            : escalation.State == EscalationState.Resolved
                ? (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The escalation is resolved", detail: $"Resolved {escalation.ResolvedAt:O} as {escalation.Resolution}; nothing more can be recorded on it."))
                : (escalation, null);
    }

    private static async Task<IResult> ReadAsync(Guid escalationId, HttpContext http, CoordinationDbContext db, PersonDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(escalationId, http, db, time, "follow up the escalation", cancellationToken) is not (var escalation, var profile, var municipal))
        {
            return NoSuchEscalation(escalationId);
        }

        var attempts = await db.ContactAttempts.AsNoTracking().Where(a => a.EscalationId == escalationId).ToListAsync(cancellationToken);
        var details = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.PersonKey == escalation.PersonKey, cancellationToken);
        db.AuditRead(http.User, escalation.PersonKey, "coordination/escalations", "follow up the escalation", granted: true, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new EscalationDetail(
            escalation.Id,
            escalation.PersonKey,
            escalation.State,
            escalation.Level,
            escalation.RaisedAt,
            ReachEndpoints.ReasonsOf(escalation.Reasons),
            escalation.AcknowledgedAt,
            escalation.AcknowledgedBy,
            escalation.ResolvedAt,
            escalation.Resolution,
            escalation.Resolution is null ? null : Resolutions.GetValueOrDefault(escalation.Resolution, escalation.Resolution),
            escalation.ResolutionNote,
            attempts.OrderBy(a => a.At).ThenBy(a => a.Id)
                .Select(a => new ContactAttemptView(a.At, a.Channel, AttemptChannels.GetValueOrDefault(a.Channel, a.Channel), a.Outcome, a.Note, a.RecordedBy))
                .ToList(),
            PersonDetailsEndpoints.IdentityOf(escalation.PersonKey, details, profile, directory),
            PersonDetailsEndpoints.HowToReachOf(profile, municipal, directory)));
    }

    private static async Task<IResult> AcknowledgeAsync(Guid escalationId, HttpContext http, CoordinationDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (escalation, problem) = await FindAsync(escalationId, http, db, time, "acknowledge the escalation", cancellationToken);
        if (escalation is null)
        {
            return problem!;
        }

        db.AuditRead(http.User, escalation.PersonKey, "coordination/escalations", "acknowledge the escalation", granted: true, time.GetUtcNow());
        var already = escalation.State != EscalationState.Raised;
        if (!already)
        {
            await MarkAcknowledgedAsync(escalation, http, db, time.GetUtcNow(), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Ok(View(escalation));
    }

    private static async Task MarkAcknowledgedAsync(Escalation escalation, HttpContext http, CoordinationDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        escalation.State = EscalationState.Acknowledged;
        escalation.AcknowledgedAt = now;
        escalation.AcknowledgedBy = http.User.HubUser();
        await db.CancelTimerAsync(ReachReview.AcknowledgementTimerKey(escalation.Id), cancellationToken);
    }

    private static async Task<IResult> AttemptAsync(
        Guid escalationId, ContactAttemptRequest request, HttpContext http, CoordinationDbContext db, ReachReview review, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Channel is null || !AttemptChannels.ContainsKey(request.Channel))
        {
            errors["channel"] = [$"One of: {string.Join(", ", AttemptChannels.Keys)}."];
        }

        if (request.Outcome is null || !FollowUpVocabulary.AttemptOutcomes.ContainsKey(request.Outcome))
        {
            errors["outcome"] = [$"One of: {string.Join(", ", AttemptOutcomes)}."];
        }

        var at = now;
        if (request.At is not null && !InstantText.TryParse(request.At, out at))
        {
            errors["at"] = [InstantText.Expected];
        }
        else if (InstantText.IsInFuture(at, time))
        {
            errors["at"] = ["Lies in the future."];
        }

        if (request.Note is { Length: > 2000 })
        {
            errors["note"] = ["At most 2000 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The contact attempt cannot be recorded as sent.");
        }

        var (escalation, problem) = await FindAsync(escalationId, http, db, time, "record a contact attempt", cancellationToken);
        if (escalation is null)
        {
            return problem!;
        }

        db.AuditRead(http.User, escalation.PersonKey, "coordination/escalations", "record a contact attempt", granted: true, now);
        if (escalation.State == EscalationState.Raised)
        {
            await MarkAcknowledgedAsync(escalation, http, db, now, cancellationToken);
        }

        escalation.State = EscalationState.ContactAttempts;
        db.ContactAttempts.Add(new ContactAttempt
        {
            EscalationId = escalation.Id, At = at, Channel = request.Channel!, Outcome = request.Outcome!, Note = request.Note, RecordedBy = http.User.HubUser(),
        });
        if (request.Outcome == "reached")
        {
            var profile = await review.ProfileAsync(escalation.PersonKey, at, cancellationToken);
            ReachReview.ContactMade(profile, at);
            await review.ReviewAsync(profile, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(escalation));
    }

    private static async Task<IResult> ResolveAsync(
        Guid escalationId, ResolveRequest request, HttpContext http, CoordinationDbContext db, ReachReview review, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Resolution is null || !Resolutions.ContainsKey(request.Resolution))
        {
            errors["resolution"] = [$"One of: {string.Join(", ", Resolutions.Keys)}."];
        }

        if (string.IsNullOrWhiteSpace(request.Note) || request.Note.Length > 2000)
        {
            errors["note"] = ["A resolution needs a note (at most 2000 characters): what happened, and what follows."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The escalation cannot be resolved as sent.");
        }

        var (escalation, problem) = await FindAsync(escalationId, http, db, time, "resolve the escalation", cancellationToken);
        if (escalation is null)
        {
            return problem!;
        }

        var reached = await db.ContactAttempts.Where(a => a.EscalationId == escalation.Id && a.Outcome == "reached").OrderByDescending(a => a.At).FirstOrDefaultAsync(cancellationToken);
        if (request.Resolution == "reached" && reached is null)
        {
            // The point of an escalation is real contact: "reached" must rest on a recorded one.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["resolution"] = ["Record the contact attempt that reached the person first (outcome reached)."] },
                title: "The escalation cannot be resolved as reached yet.");
        }

        var now = time.GetUtcNow();
        await db.CancelTimerAsync(ReachReview.AcknowledgementTimerKey(escalation.Id), cancellationToken);
        escalation.State = EscalationState.Resolved;
        escalation.ResolvedAt = now;
        escalation.ResolvedBy = http.User.HubUser();
        escalation.Resolution = request.Resolution;
        escalation.ResolutionNote = request.Note!.Trim();
        var summary = request.Resolution == "reached"
            ? string.Create(CultureInfo.InvariantCulture, $"Brukeren ble nådd ({AttemptChannels[reached!.Channel]}) {reached.At.ToOffset(TimeSpan.Zero):dd.MM.yyyy}. En koordinator har fulgt opp.")
            : $"{Resolutions[request.Resolution!]}.";
        db.Publish(new EscalationResolved(escalation.Id, new PersonReference(escalation.PersonKey), request.Resolution!, reached?.Channel, summary, now));
        db.AuditRead(http.User, escalation.PersonKey, "coordination/escalations", "resolve the escalation", granted: true, now);
        var profile = await review.ProfileAsync(escalation.PersonKey, now, cancellationToken);
        // A person decided the case: the follow-up clock starts again from here.
        profile.FollowedSince = now;
        await review.ReviewAsync(profile, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(escalation));
    }

    public static EscalationView View(Escalation e) => new(e.Id, e.PersonKey, e.State, e.Level, e.RaisedAt, e.AcknowledgedAt, e.ResolvedAt, e.Resolution);
}
