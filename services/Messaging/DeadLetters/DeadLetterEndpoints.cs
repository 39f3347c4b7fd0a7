using IntegrationHub.Messaging.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Messaging.DeadLetters;

public static class DeadLetterEndpoints
{
    /// <summary>Metadata only: the envelope may hold person data and is not listed.</summary>
    public sealed record DeadLetterSummary(
        Guid Id,
        Guid? MessageId,
        string Queue,
        string? MessageType,
        string ExceptionType,
        string ExceptionMessage,
        DateTimeOffset FailedAt,
        DateTimeOffset? ReplayedAt,
        int ReplayCount);

    public sealed record DeadLetterPage(IReadOnlyList<DeadLetterSummary> Items, int Total);

    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/dead-letters").RequireHubRoles(HubRoles.HubAdmin).WithTags("Admin");

        group.MapGet("/", async Task<Results<Ok<DeadLetterPage>, ProblemHttpResult>> (
            HubMessagingDbContext db, bool? pendingOnly, int? skip, int? take, CancellationToken cancellationToken) =>
        {
            var size = take ?? 50;
            if (size is < 1 or > 500 || skip is < 0)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid paging",
                    detail: "take must be 1-500 and skip must not be negative.");
            }

            var query = db.DeadLetters.AsNoTracking();
            if (pendingOnly == true)
            {
                query = query.Where(d => d.ReplayedAt == null);
            }

            var total = await query.CountAsync(cancellationToken);
            var items = await query
                .OrderByDescending(d => d.FailedAt)
                .Skip(skip ?? 0)
                .Take(size)
                .Select(d => new DeadLetterSummary(
                    d.Id, d.MessageId, d.Queue, d.MessageType, d.ExceptionType, d.ExceptionMessage, d.FailedAt, d.ReplayedAt, d.ReplayCount))
                .ToListAsync(cancellationToken);
            return TypedResults.Ok(new DeadLetterPage(items, total));
        }).WithName("ListDeadLetters");

        group.MapPost("/{id:guid}/replay", async Task<Results<Accepted, ProblemHttpResult>> (
            Guid id, DeadLetterReplayer replayer, CancellationToken cancellationToken) =>
            await replayer.ReplayAsync(id, cancellationToken) switch
            {
                ReplayOutcome.Replayed => TypedResults.Accepted((string?)null),
                ReplayOutcome.NotFound => TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound, title: "No such dead letter", detail: $"Dead letter {id} does not exist."),
                _ => TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Message type unknown",
                    detail: "This process does not know the dead letter's message type; replay it from the process that runs its module."),
            }).WithName("ReplayDeadLetter");

        return endpoints;
    }
}
