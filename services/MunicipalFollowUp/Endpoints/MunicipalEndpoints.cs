using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Messaging.Validation;
using IntegrationHub.MunicipalFollowUp.Domain;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.MunicipalFollowUp.Translation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.MunicipalFollowUp.Endpoints;

public static class MunicipalEndpoints
{
    public sealed record PersonIdentifierBody(string? Identifier);

    public sealed record ContactBody(string? Outcome, string? Channel);

    public sealed record NoteRequest(
        string? NoteId,
        string? Municipality,
        string? Caseworker,
        PersonIdentifierBody? Person,
        string? RecordedAt,
        string? Service,
        ContactBody? Contact,
        List<string>? Signals,
        string? Text,
        bool? StartFollowUp);

    public sealed record NoteAnswer(Guid NoteId, string Status, string PersonKey);

    public sealed record PersonNameBody(string? Given, string? Family);

    /// <summary>The person, with their name when the municipality gives it, so staff see a name rather than a key.</summary>
    public sealed record FollowedPersonBody(string? Identifier, PersonNameBody? Name);

    public sealed record FollowRequest(FollowedPersonBody? Person, string? Service);

    public sealed record FollowAnswer(string PersonKey, string Municipality, string Caseworker, bool AlreadyFollowed);

    private const int MaxSignals = 10;

    public static IEndpointRouteBuilder MapMunicipalFollowUp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/municipal/notes", RecordNoteAsync)
            .RequireHubRoles(HubRoles.MunicipalSystem)
            .WithTags("Municipal")
            .WithName("RecordMunicipalNote")
            .WithSummary("A follow-up note from the caller's own municipality: contact status, signals and a short text.");
        endpoints.MapPost("/municipal/persons", FollowAsync)
            .RequireHubRoles(HubRoles.MunicipalCaseworker)
            .WithTags("Municipal")
            .WithName("FollowPerson")
            .WithSummary("Our service follows this person: puts the caller's municipality and the caller in the care team. Audited.");
        endpoints.MapPost("/municipal/persons/{personKey}/end", EndAsync)
            .RequireHubRoles(HubRoles.MunicipalCaseworker, HubRoles.MunicipalSystem)
            .WithTags("Municipal")
            .WithName("EndFollowUp")
            .WithSummary("Our service no longer follows this person: the caller's municipality leaves the care team; nothing more is routed to it. Audited.");
        return endpoints;
    }

    private static async Task<Results<Accepted<NoteAnswer>, Ok<NoteAnswer>, ValidationProblem, ProblemHttpResult>> RecordNoteAsync(
        NoteRequest request,
        HttpContext http,
        MunicipalDbContext db,
        PersonKeyGenerator keys,
        PersonIdentifierSealer sealer,
        PersonIdentifierRules identifierRules,
        IOptions<MunicipalFollowUpOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Guid noteId = default;
        if (!Guid.TryParse(request.NoteId, out noteId) || noteId == Guid.Empty)
        {
            errors["noteId"] = ["Required: a UUID."];
        }

        if (!UnitNumber.IsValid(request.Municipality))
        {
            errors["municipality"] = ["A municipality number: 4 digits."];
        }
        else if (request.Municipality != http.User.HubParty())
        {
            // Checked before anything else is looked at: one municipality never writes about another's follow-up.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not your municipality",
                detail: $"Your token is for municipality {http.User.HubParty() ?? "(none)"}; the note says {request.Municipality}. Nothing was stored.");
        }

        if (!IsCaseworkerId(request.Caseworker))
        {
            errors["caseworker"] = ["Required: the caseworker's id, at most 64 letters, digits, '-', '_' or '.'."];
        }

        if (!NorwegianPersonIdentifier.TryParse(request.Person?.Identifier, identifierRules, out var person, out var personError))
        {
            errors["person.identifier"] = [personError];
        }

        if (!InstantText.TryParse(request.RecordedAt, out var recordedAt))
        {
            errors["recordedAt"] = [InstantText.Expected];
        }
        else if (InstantText.IsInFuture(recordedAt, time))
        {
            errors["recordedAt"] = ["Lies in the future."];
        }

        if (request.Service is null || !MunicipalVocabulary.Services.ContainsKey(request.Service))
        {
            errors["service"] = [$"One of: {string.Join(", ", MunicipalVocabulary.Services.Keys)}."];
        }

        if (request.Contact is null)
        {
            errors["contact"] = ["Required: { \"outcome\": ..., \"channel\": ... }."];
        }
        else
        {
            if (request.Contact.Outcome is null || !MunicipalVocabulary.Outcomes.ContainsKey(request.Contact.Outcome))
            {
                errors["contact.outcome"] = [$"One of: {string.Join(", ", MunicipalVocabulary.Outcomes.Keys)}."];
            }

            if (request.Contact.Channel is null || !MunicipalVocabulary.Channels.ContainsKey(request.Contact.Channel))
            {
                errors["contact.channel"] = [$"One of: {string.Join(", ", MunicipalVocabulary.Channels.Keys)}."];
            }
        }

        var signals = request.Signals ?? [];
        if (signals.Count > MaxSignals || signals.Any(s => s is null || !MunicipalVocabulary.Signals.Contains(s)) || signals.Distinct(StringComparer.Ordinal).Count() != signals.Count)
        {
            errors["signals"] = [$"At most {MaxSignals} different codes, each one of: {string.Join(", ", MunicipalVocabulary.Signals)}."];
        }

        var text = request.Text?.Trim();
        var maxText = options.Value.MaxTextLength;
        if (text is { Length: > 0 } && (text.Length > maxText || text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')))
        {
            errors["text"] = [$"At most {maxText} characters, without control characters. Write the details in the municipality's own record."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The note cannot be accepted as sent.");
        }

        var personKey = keys.KeyFor(person!);
        if (await db.Notes.AnyAsync(n => n.NoteId == noteId, cancellationToken))
        {
            return TypedResults.Ok(new NoteAnswer(noteId, "duplicate", personKey));
        }

        // A note counts only for a person the municipality follows, or one it starts following by
        // this very note; otherwise one municipality could reset another's clock of silence.
        var municipality = request.Municipality!;
        var now = time.GetUtcNow();
        var followed = await db.FollowedPersons.AnyAsync(f => f.PersonKey == personKey && f.Municipality == municipality, cancellationToken);
        if (!followed && request.StartFollowUp != true)
        {
            db.AuditRead(http.User, personKey, "municipal/notes", "record a note about the person", granted: false, now);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Not a person your municipality follows",
                detail: "Register the follow-up first (POST /municipal/persons), or send the note with \"startFollowUp\": true to start it with this note. Nothing was stored.");
        }

        if (!followed)
        {
            db.FollowedPersons.Add(new FollowedPerson { PersonKey = personKey, Municipality = municipality, Caseworker = request.Caseworker!, Service = request.Service!, Since = now });
            var sealedIdentifier = sealer.Seal(person!);
            db.Publish(new MunicipalFollowUpStarted(NewId.NextGuid(), new PersonReference(personKey), municipality, request.Caseworker!, request.Service!, now) { SealedIdentifier = sealedIdentifier });
            db.Publish(new PersonIdentified(NewId.NextGuid(), new PersonReference(personKey), new PartyReference(PartyKind.Municipality, municipality), sealedIdentifier, null, now));
        }

        var contact = request.Contact!;
        var note = new ReceivedNote
        {
            NoteId = noteId,
            PersonKey = personKey,
            Municipality = request.Municipality!,
            Caseworker = request.Caseworker!,
            Service = request.Service!,
            RecordedAt = recordedAt,
            ReceivedAt = now,
            Outcome = contact.Outcome!,
            Channel = contact.Channel!,
            Signals = string.Join(',', signals),
            Text = string.IsNullOrEmpty(text) ? null : text,
        };
        db.Notes.Add(note);
        foreach (var message in NoteTranslator.Translate(note))
        {
            db.Publish(message);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same note sent twice at once: the other request stored it.
            if (await IsStoredAsync(db, noteId, cancellationToken))
            {
                return TypedResults.Ok(new NoteAnswer(noteId, "duplicate", personKey));
            }

            throw;
        }

        return TypedResults.Accepted((string?)null, new NoteAnswer(noteId, "accepted", personKey));
    }

    private static async Task<Results<Created<FollowAnswer>, Ok<FollowAnswer>, ValidationProblem, ProblemHttpResult>> FollowAsync(
        FollowRequest request, HttpContext http, MunicipalDbContext db, PersonKeyGenerator keys, PersonIdentifierSealer sealer, PersonIdentifierRules identifierRules, TimeProvider time, CancellationToken cancellationToken)
    {
        var municipality = http.User.HubParty();
        if (!UnitNumber.IsValid(municipality))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Your token names no municipality", detail: "A caseworker acts for one municipality; the token must carry its number.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!NorwegianPersonIdentifier.TryParse(request.Person?.Identifier, identifierRules, out var person, out var personError))
        {
            errors["person.identifier"] = [personError];
        }

        if (request.Service is null || !MunicipalVocabulary.Services.ContainsKey(request.Service))
        {
            errors["service"] = [$"One of: {string.Join(", ", MunicipalVocabulary.Services.Keys)}."];
        }

        PersonName? name = null;
        if (request.Person?.Name is { } givenName && !PersonName.TryCreate(givenName.Given, givenName.Family, out name))
        {
            errors["person.name"] = [PersonName.Rule];
        }

        var caseworker = http.User.HubUser();
        if (!IsCaseworkerId(caseworker))
        {
            errors["caseworker"] = ["The token's user id cannot serve as a caseworker id."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The person cannot be registered as followed.");
        }

        var personKey = keys.KeyFor(person!);
        var now = time.GetUtcNow();
        db.AuditRead(http.User, personKey, "municipal/persons", "register that the municipal service follows the person", granted: true, now);
        var existing = await db.FollowedPersons.SingleOrDefaultAsync(f => f.PersonKey == personKey && f.Municipality == municipality, cancellationToken);
        var sealedIdentifier = sealer.Seal(person!);
        if (existing is null || name is not null)
        {
            db.Publish(new PersonIdentified(NewId.NextGuid(), new PersonReference(personKey), new PartyReference(PartyKind.Municipality, municipality), sealedIdentifier, name is null ? null : sealer.SealName(name), now));
        }

        if (existing is not null && existing.Caseworker == caseworker)
        {
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(new FollowAnswer(personKey, municipality, caseworker, true));
        }

        if (existing is null)
        {
            db.FollowedPersons.Add(existing = new FollowedPerson { PersonKey = personKey, Municipality = municipality, Caseworker = caseworker, Service = request.Service!, Since = now });
        }
        else
        {
            existing.Caseworker = caseworker;
            existing.Service = request.Service!;
        }

        db.Publish(new MunicipalFollowUpStarted(NewId.NextGuid(), new PersonReference(personKey), municipality, caseworker, request.Service!, now) { SealedIdentifier = sealedIdentifier });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/persons/{personKey}/timeline", new FollowAnswer(personKey, municipality, caseworker, false));
    }

    public sealed record EndAnswer(string PersonKey, string Municipality, DateTimeOffset EndedAt, bool AlreadyEnded);

    /// <summary>Only the caller's own municipality leaves: a unit never changes another unit's membership.</summary>
    private static async Task<Results<Ok<EndAnswer>, ValidationProblem, ProblemHttpResult>> EndAsync(
        string personKey, HttpContext http, MunicipalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["personKey"] = ["Not a person key. Get one with POST /persons/key."] });
        }

        var municipality = http.User.HubParty();
        if (!UnitNumber.IsValid(municipality))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Your token names no municipality", detail: "A caseworker acts for one municipality; the token must carry its number.");
        }

        var now = time.GetUtcNow();
        var followed = await db.FollowedPersons.Where(f => f.PersonKey == personKey && f.Municipality == municipality).ToListAsync(cancellationToken);
        db.AuditRead(http.User, personKey, "municipal/persons/end", "end the municipal service's follow-up of the person", granted: followed.Count > 0, now);
        if (followed.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(new EndAnswer(personKey, municipality, now, AlreadyEnded: true));
        }

        db.FollowedPersons.RemoveRange(followed);
        db.Publish(new MunicipalFollowUpEnded(NewId.NextGuid(), new PersonReference(personKey), municipality, http.User.HubUser(), now));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new EndAnswer(personKey, municipality, now, AlreadyEnded: false));
    }

    private static bool IsCaseworkerId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static async Task<bool> IsStoredAsync(MunicipalDbContext db, Guid noteId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Notes.AnyAsync(n => n.NoteId == noteId, cancellationToken);
    }
}
