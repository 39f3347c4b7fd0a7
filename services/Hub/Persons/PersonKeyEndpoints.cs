using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Persons;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHub.Hub.Persons;

public static class PersonKeyEndpoints
{
    public sealed record PersonKeyRequest(string? Identifier);

    public sealed record PersonKeyResponse(string PersonKey);

    /// <summary>
    /// <c>POST /persons/key</c>: the only place a caller trades a fødselsnummer for the person key
    /// used in every other URL. The identifier travels in the body, never the URL, and each lookup
    /// is audited before it is answered.
    /// </summary>
    public static IEndpointRouteBuilder MapPersonKeys(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/persons/key", async Task<Results<Ok<PersonKeyResponse>, ValidationProblem>> (
                PersonKeyRequest request,
                HttpContext http,
                PersonKeyGenerator keys,
                PersonIdentifierRules rules,
                HubMessagingDbContext db,
                TimeProvider time,
                CancellationToken cancellationToken) =>
            {
                if (!NorwegianPersonIdentifier.TryParse(request.Identifier, rules, out var identifier, out var error))
                {
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { ["identifier"] = [error] },
                        title: "The identifier is not a valid fødselsnummer or D-number.");
                }

                var personKey = keys.KeyFor(identifier!);
                db.AuditRead(http.User, personKey, "persons/key", "look up person key", granted: true, time.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(new PersonKeyResponse(personKey));
            })
            // Staff who work with people; hub-admin runs the hub and reads no person data.
            .RequireHubRoles(HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .RequireRateLimiting(PersonKeyLookupLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithTags("Persons")
            .WithName("GetPersonKey")
            .WithSummary("Trades a fødselsnummer or D-number (in the body) for the hub's person key.");
        return endpoints;
    }
}
