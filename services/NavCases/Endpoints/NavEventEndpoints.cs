using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.NavCases.Domain;
using IntegrationHub.NavCases.Translation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.NavCases.Endpoints;

public static class NavEventEndpoints
{
    public const int MaxBatch = 500;

    /// <summary>500 events of a few hundred bytes each, with room to spare.</summary>
    public const long MaxBodyBytes = 2 * 1024 * 1024;

    public sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventAnswer> Results);

    public static IEndpointRouteBuilder MapNavEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/nav/events", ReceiveAsync)
            .RequireHubRoles(HubRoles.NavSystem)
            .WithTags("NAV")
            .WithName("ReceiveNavEvents")
            .WithSummary("One NAV case event, or an array of up to 500: answered per event as accepted, duplicate or rejected.")
            .Produces<EventAnswer>(StatusCodes.Status202Accepted)
            .Produces<BatchAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, NavEventReader reader, NavEventIntake intake, CancellationToken cancellationToken)
    {
        // The body is whole, UTF-8 and within MaxBodyBytes: the host's RequestBodyGuard read it first.
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not JSON.", $"Send one event object or an array of them. {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    var single = (await intake.AcceptAsync([reader.Read(root)], cancellationToken))[0];
                    return single.Status switch
                    {
                        EventStatus.Rejected => TypedResults.ValidationProblem(single.Errors!, title: "The event cannot be accepted as sent."),
                        EventStatus.Duplicate => TypedResults.Ok(single),
                        _ => TypedResults.Accepted((string?)null, single),
                    };
                case JsonValueKind.Array when root.GetArrayLength() is >= 1 and <= MaxBatch:
                    var answers = await intake.AcceptAsync(root.EnumerateArray().Select(reader.Read).ToList(), cancellationToken);
                    if (answers.All(a => a.Status == EventStatus.Rejected))
                    {
                        // Nothing of the batch could be taken: an error for the whole of it, naming each event's fields.
                        return TypedResults.ValidationProblem(
                            answers.SelectMany((a, i) => (a.Errors ?? new Dictionary<string, string[]>()).Select(e => ($"[{i}].{e.Key}", e.Value)))
                                .ToDictionary(e => e.Item1, e => e.Value),
                            title: "No event of the batch can be accepted as sent.");
                    }

                    return TypedResults.Ok(new BatchAnswer(
                        answers.Count(a => a.Status == EventStatus.Accepted),
                        answers.Count(a => a.Status == EventStatus.Duplicate),
                        answers.Count(a => a.Status == EventStatus.Rejected),
                        answers));
                case JsonValueKind.Array:
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { ["$"] = [$"A batch holds 1 to {MaxBatch} events; this one holds {root.GetArrayLength()}."] },
                        title: "The batch cannot be accepted.");
                default:
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { ["$"] = ["Send one event object or an array of them."] },
                        title: "The body is neither an event nor a batch.");
            }
        }
    }

    private static IResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
