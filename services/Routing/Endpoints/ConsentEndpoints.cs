using IntegrationHub.Routing.Domain;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Endpoints;

public static class ConsentEndpoints
{
    public sealed record PersonIdentifierBody(string? Identifier);

    /// <summary>A unit that may receive: <c>{"party": "municipality", "unit": "0301"}</c>; NAV without a unit is the office that follows the case.</summary>
    public sealed record RecipientBody(string? Party, string? Unit);

    /// <summary>A recipient as the API shows it, with its name in bokmål ("Oslo kommune (0301)").</summary>
    public sealed record RecipientView(string Party, string? Unit, string Name);

    public sealed record GrantConsentRequest(
        PersonIdentifierBody? Person,
        string? Purpose,
        List<RecipientBody?>? Recipients,
        List<string>? Categories,
        DateOnly? ValidFrom,
        DateOnly? ValidUntil,
        string? ObtainedVia,
        string? WitnessedBy);

    public sealed record ConsentGrantedResponse(Guid ConsentId, string PersonKey);

    /// <summary>Who withdrew it is the caller, from the token; the body says only how the withdrawal came.</summary>
    public sealed record WithdrawConsentRequest(string? Via);

    public sealed record WithdrawConsentResponse(Guid ConsentId, DateTimeOffset WithdrawnAt, bool AlreadyWithdrawn, string Detail);

    public sealed record ConsentView(
        Guid ConsentId,
        string Purpose,
        IReadOnlyList<RecipientView> Recipients,
        IReadOnlyList<string> Categories,
        DateOnly ValidFrom,
        DateOnly ValidUntil,
        string ObtainedVia,
        string? WitnessedBy,
        string RecordedBy,
        string RecordedByRole,
        string? RecordedByParty,
        bool ObtainedByRecipientStaff,
        DateTimeOffset RecordedAt,
        DateTimeOffset? WithdrawnAt,
        string? WithdrawnVia,
        string Status);

    private static readonly string[] ConsentRoles = [HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker];

    public static IEndpointRouteBuilder MapConsents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/consents", GrantAsync)
            .RequireHubRoles(ConsentRoles)
            .WithTags("Consent")
            .WithName("GrantConsent")
            .WithSummary("Registers a person's consent to named units, given digitally, in person or by phone (then with a witness); in force for everything decided after the 201.");
        endpoints.MapPost("/consents/{consentId:guid}/withdraw", WithdrawAsync)
            .RequireHubRoles(ConsentRoles)
            .WithTags("Consent")
            .WithName("WithdrawConsent")
            .WithSummary("Withdraws a consent: nothing decided after the answer is shared under it, and what was shared under it and not yet read is taken back.");
        endpoints.MapGet("/persons/{personKey}/consents", ListAsync)
            .RequireHubRoles(ConsentRoles)
            .WithTags("Consent")
            .WithName("ListConsents")
            .WithSummary("A person's consents with their status now. Audited.");
        return endpoints;
    }

    private static async Task<Results<Created<ConsentGrantedResponse>, ValidationProblem, ProblemHttpResult>> GrantAsync(
        GrantConsentRequest request,
        HttpContext http,
        RoutingDbContext db,
        CareTeam team,
        PersonKeyGenerator keys,
        PersonIdentifierRules identifierRules,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!NorwegianPersonIdentifier.TryParse(request.Person?.Identifier, identifierRules, out var person, out var personError))
        {
            errors["person.identifier"] = [personError];
        }

        if (request.Purpose is null || !ConsentVocabulary.Purposes.Contains(request.Purpose))
        {
            errors["purpose"] = [$"Give the purpose: {string.Join(", ", ConsentVocabulary.Purposes)}."];
        }

        var recipients = CheckRecipients(errors, request.Recipients);
        CheckCodes(errors, "categories", request.Categories, DataCategory.Labels.Keys);
        if (request.ValidFrom is null)
        {
            errors["validFrom"] = ["Give the first day the consent holds (YYYY-MM-DD)."];
        }

        if (request.ValidUntil is null)
        {
            errors["validUntil"] = ["Give the last day the consent holds (YYYY-MM-DD): consent is always time-limited."];
        }
        else if (request.ValidFrom is { } from && request.ValidUntil <= from)
        {
            errors["validUntil"] = ["validUntil must come after validFrom."];
        }

        if (request.ObtainedVia is null || !ConsentVocabulary.Channels.Contains(request.ObtainedVia))
        {
            errors["obtainedVia"] = [$"Give how the consent was obtained: {string.Join(", ", ConsentVocabulary.Channels)}."];
        }
        else if (ConsentVocabulary.NeedsWitness(request.ObtainedVia) && string.IsNullOrWhiteSpace(request.WitnessedBy))
        {
            errors["witnessedBy"] = ["Consent given in person or by phone needs the witness's name or id."];
        }

        if (request.WitnessedBy is { Length: > 128 })
        {
            errors["witnessedBy"] = ["At most 128 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The consent cannot be registered as sent.");
        }

        var personKey = keys.KeyFor(person!);
        var role = http.User.HubRole()!;
        var inCareTeam = await team.MaySeeAsync(http.User, personKey, cancellationToken);
        db.AuditRead(http.User, personKey, "consents", "register the person's consent", inCareTeam, time.GetUtcNow());
        if (!inCareTeam)
        {
            await db.SaveChangesAsync(cancellationToken);
            return NotInCareTeam();
        }

        var consent = new ConsentRecord
        {
            Id = NewId.NextGuid(),
            PersonKey = personKey,
            Purpose = request.Purpose!,
            Recipients = recipients,
            Categories = request.Categories!,
            ValidFrom = request.ValidFrom!.Value,
            ValidUntil = request.ValidUntil!.Value,
            ObtainedVia = request.ObtainedVia!,
            WitnessedBy = string.IsNullOrWhiteSpace(request.WitnessedBy) ? null : request.WitnessedBy.Trim(),
            RecordedBy = http.User.HubUser(),
            RecordedByRole = role,
            RecordedByParty = http.User.HubParty(),
            ObtainedByRecipientStaff = role is HubRoles.NavAdvisor or HubRoles.MunicipalCaseworker,
            RecordedAt = time.GetUtcNow(),
        };
        db.Consents.Add(consent);
        db.Publish(consent.ToGranted());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/consents/{consent.Id}", new ConsentGrantedResponse(consent.Id, consent.PersonKey));
    }

    private static async Task<Results<Ok<WithdrawConsentResponse>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        Guid consentId, WithdrawConsentRequest request, HttpContext http, RoutingDbContext db, CareTeam team, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Via is null || !ConsentVocabulary.Channels.Contains(request.Via))
        {
            errors["via"] = [$"Give how the withdrawal came: {string.Join(", ", ConsentVocabulary.Channels)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The withdrawal cannot be registered as sent.");
        }

        // The instant is read under the consent's lock, so no adapter is told "in force" after it (ConsentLocks).
        return await ConsentLocks.InTurnAsync<Results<Ok<WithdrawConsentResponse>, ValidationProblem, ProblemHttpResult>>(db, async () =>
        {
            var consent = await ConsentLocks.ForWithdrawalAsync(db, consentId, cancellationToken);
            if (consent is null)
            {
                return NoSuchConsent(consentId);
            }

            var inCareTeam = await team.MaySeeAsync(http.User, consent.PersonKey, cancellationToken);
            db.AuditRead(http.User, consent.PersonKey, "consents/withdraw", "withdraw the person's consent", inCareTeam, time.GetUtcNow());
            if (!inCareTeam)
            {
                await db.SaveChangesAsync(cancellationToken);
                return NoSuchConsent(consentId);
            }

            if (consent.WithdrawnAt is { } earlier)
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(new WithdrawConsentResponse(consent.Id, earlier, true, "The consent was already withdrawn; nothing changed."));
            }

            consent.WithdrawnAt = ConsentInstant.Now(time);
            consent.WithdrawnVia = request.Via;
            var withdrawnBy = $"{http.User.HubUser()} ({http.User.HubRole()}{(http.User.HubParty() is { } party ? $", {party}" : string.Empty)})";
            consent.WithdrawalRecordedBy = withdrawnBy;
            var person = new PersonReference(consent.PersonKey);
            db.Publish(new ConsentWithdrawn(consent.Id, person, consent.WithdrawnAt.Value, request.Via!, withdrawnBy));
            await RetractSharedUnderAsync(db, consent, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(new WithdrawConsentResponse(consent.Id, consent.WithdrawnAt.Value, false, "Withdrawn: nothing more is shared under this consent, and what was shared under it and not yet read is taken back."));
        }, cancellationToken);
    }

    private static async Task<Results<Ok<List<ConsentView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string personKey, HttpContext http, RoutingDbContext db, CareTeam team, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["personKey"] = ["Not a person key. Get one with POST /persons/key."] });
        }

        var now = time.GetUtcNow();
        var inCareTeam = await team.MaySeeAsync(http.User, personKey, cancellationToken);
        db.AuditRead(http.User, personKey, "persons/consents", "see the person's consents", inCareTeam, now);
        await db.SaveChangesAsync(cancellationToken);
        if (!inCareTeam)
        {
            return NotInCareTeam();
        }

        var consents = await db.Consents.AsNoTracking().Where(c => c.PersonKey == personKey).ToListAsync(cancellationToken);
        return TypedResults.Ok(consents
            .OrderByDescending(c => c.RecordedAt)
            .Select(c => new ConsentView(
                c.Id, c.Purpose, c.Recipients.Select(r => new RecipientView(ConsentVocabulary.CodeOf(r.Party), r.Unit, UnitNames.Of(r))).ToList(), c.Categories, c.ValidFrom, c.ValidUntil, c.ObtainedVia,
                c.WitnessedBy, c.RecordedBy, c.RecordedByRole, c.RecordedByParty, c.ObtainedByRecipientStaff, c.RecordedAt, c.WithdrawnAt,
                c.WithdrawnVia, c.StatusAt(now)))
            .ToList());
    }

    private static ProblemHttpResult NotInCareTeam() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Not your person",
        detail: "Only the person's own care team (its NAV office, its municipality, or a coordinator working for one of them) registers, withdraws or sees consents.");

    private static ProblemHttpResult NoSuchConsent(Guid consentId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such consent", detail: $"Consent {consentId} does not exist for a person your unit follows.");

    /// <summary>
    /// Every update shared under the consent, per recipient: the adapter takes back what its
    /// recipient has not yet read. Sent on the delivery queue the updates took, in this transaction,
    /// so every decision made before the withdrawal (they hold the consent's lock) is among them.
    /// </summary>
    private static async Task RetractSharedUnderAsync(RoutingDbContext db, ConsentRecord consent, CancellationToken cancellationToken)
    {
        var shared = await db.Disclosures.AsNoTracking()
            .Where(d => d.ConsentId == consent.Id && d.Delivered && d.RetractedAt == null)
            .Select(d => new { d.UpdateId, d.RecipientKind, d.RecipientId, d.Category })
            .ToListAsync(cancellationToken);
        foreach (var recipient in shared.Where(d => d.RecipientKind is PartyKind.Nav or PartyKind.Municipality).GroupBy(d => (d.RecipientKind, d.RecipientId)))
        {
            var updates = recipient.GroupBy(d => d.UpdateId).Select(u => new RetractedUpdate(u.Key, u.Select(d => d.Category).ToList())).ToList();
            db.Send(
                new RetractUpdates(NewId.NextGuid(), new PersonReference(consent.PersonKey), new PartyReference(recipient.Key.RecipientKind, recipient.Key.RecipientId), consent.Id, updates, consent.WithdrawnAt!.Value),
                DeliveryQueues.For(recipient.Key.RecipientKind));
        }
    }

    /// <summary>The recipients as units; errors are named per field (<c>recipients[1].unit</c>).</summary>
    private static List<ConsentRecipient> CheckRecipients(Dictionary<string, string[]> errors, List<RecipientBody?>? bodies)
    {
        var recipients = new List<ConsentRecipient>();
        if (bodies is null || bodies.Count == 0)
        {
            errors["recipients"] = [$"Name at least one recipient, e.g. {{\"party\": \"municipality\", \"unit\": \"0301\"}}. Parties: {string.Join(", ", ConsentVocabulary.Recipients.Keys)}."];
            return recipients;
        }

        for (var i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            if (body?.Party is null || !ConsentVocabulary.Recipients.TryGetValue(body.Party, out var party))
            {
                errors[$"recipients[{i}].party"] = [$"Give the party: {string.Join(", ", ConsentVocabulary.Recipients.Keys)}."];
                continue;
            }

            var unit = string.IsNullOrWhiteSpace(body.Unit) ? null : body.Unit.Trim();
            if (ConsentVocabulary.UnitError(party, unit) is { } unitError)
            {
                errors[$"recipients[{i}].unit"] = [unitError];
                continue;
            }

            var recipient = new ConsentRecipient(party, unit);
            if (recipients.Contains(recipient))
            {
                errors[$"recipients[{i}]"] = ["Each recipient once."];
                continue;
            }

            recipients.Add(recipient);
        }

        return recipients;
    }

    private static void CheckCodes(Dictionary<string, string[]> errors, string field, List<string>? codes, IEnumerable<string> known)
    {
        var allowed = known.ToHashSet(StringComparer.Ordinal);
        if (codes is null || codes.Count == 0)
        {
            errors[field] = [$"Give at least one of: {string.Join(", ", allowed)}."];
        }
        else if (codes.FirstOrDefault(c => !allowed.Contains(c)) is { } unknown)
        {
            errors[field] = [$"Unknown code '{(unknown.Length > 40 ? unknown[..40] : unknown)}'. Known: {string.Join(", ", allowed)}."];
        }
        else if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            errors[field] = ["Each code once."];
        }
    }
}
