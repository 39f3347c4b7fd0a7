using System.Runtime.CompilerServices;
using IntegrationHub.Delivery.Endpoints;
using IntegrationHub.Messaging.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.Delivery;

public static class InboxEndpoints
{
    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, object> Mapped = [];

    /// <summary>
    /// Maps <c>GET /inbox</c> and <c>POST /inbox/{id}/ack</c> once per host, however many adapters
    /// call it; each request is served by the inbox registered for the caller's role.
    /// </summary>
    public static IEndpointRouteBuilder MapRecipientInbox(this IEndpointRouteBuilder endpoints)
    {
        if (!Mapped.TryAdd(endpoints, new object()))
        {
            return endpoints;
        }

        endpoints.MapGet("/inbox", ListAsync)
            .RequireHubRoles(HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .WithTags("Inbox")
            .WithName("ListInbox")
            .WithSummary("Updates delivered to your unit for the people it follows, grouped per person, newest first. Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        endpoints.MapPost("/inbox/{updateId:guid}/ack", AcknowledgeAsync)
            .RequireHubRoles(HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .WithTags("Inbox")
            .WithName("AcknowledgeInboxUpdate")
            .WithSummary("Marks an update as seen and handled.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapGet("/inbox/{updateId:guid}/deliveries", DeliveriesAsync)
            .RequireHubRoles(HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .WithTags("Inbox")
            .WithName("InboxUpdateDeliveries")
            .WithSummary("The update's webhook status and every call made to deliver it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapGet("/persons/{personKey}/timeline", TimelineAsync)
            .RequireHubRoles(HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker, HubRoles.Coordinator)
            .WithTags("Inbox")
            .WithName("PersonTimeline")
            .WithSummary("All the hub knows of the person that you may see, oldest first, across NAV, GP and municipality. Audited.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> TimelineAsync(
        HttpContext http, string personKey, IEnumerable<IRecipientInbox> inboxes, CancellationToken cancellationToken)
    {
        if (!Messaging.Persons.PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["personKey"] = ["Not a person key. Get one with POST /persons/key."] });
        }

        var inbox = For(http, inboxes);
        if (inbox is not null)
        {
            return await inbox.TimelineAsync(http, personKey, cancellationToken);
        }

        // No timeline for this role in this process: an adapter refuses it, and audits the attempt.
        var audit = inboxes.FirstOrDefault();
        if (audit is not null)
        {
            return await audit.TimelineAsync(http, personKey, cancellationToken);
        }

        return NoInbox();
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IEnumerable<IRecipientInbox> inboxes, int? page, int? pageSize, string? personKey, bool? unacknowledged, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1)
        {
            errors["page"] = ["Pages count from 1."];
        }

        if (pageSize is < 1 or > 100)
        {
            errors["pageSize"] = ["Between 1 and 100 persons per page."];
        }

        if (personKey is not null && !Messaging.Persons.PersonKeyGenerator.LooksLikeKey(personKey))
        {
            errors["personKey"] = ["Not a person key. Get one with POST /persons/key."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The inbox cannot be listed with these parameters.");
        }

        var inbox = For(http, inboxes);
        return inbox is null
            ? NoInbox()
            : await inbox.ListAsync(http, new InboxQuery(page ?? 1, pageSize ?? 20, personKey, unacknowledged ?? false), cancellationToken);
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext http, Guid updateId, IEnumerable<IRecipientInbox> inboxes, CancellationToken cancellationToken)
    {
        var inbox = For(http, inboxes);
        return inbox is null ? NoInbox() : await inbox.AcknowledgeAsync(http, updateId, cancellationToken);
    }

    private static async Task<IResult> DeliveriesAsync(HttpContext http, Guid updateId, IEnumerable<IRecipientInbox> inboxes, CancellationToken cancellationToken)
    {
        var inbox = For(http, inboxes);
        return inbox is null ? NoInbox() : await inbox.DeliveriesAsync(http, updateId, cancellationToken);
    }

    private static IRecipientInbox? For(HttpContext http, IEnumerable<IRecipientInbox> inboxes) =>
        inboxes.FirstOrDefault(i => i.Role == http.User.HubRole());

    private static IResult NoInbox() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No inbox here for your role",
        detail: "The module that keeps your role's inbox does not run in this process.");
}
