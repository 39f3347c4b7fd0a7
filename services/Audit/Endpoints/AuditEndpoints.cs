using IntegrationHub.Audit.Domain;
using IntegrationHub.Messaging.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.Audit.Endpoints;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/audit/verify", async (AuditChain chain, CancellationToken cancellationToken) =>
                TypedResults.Ok(await chain.VerifyAsync(cancellationToken)))
            .RequireHubRoles(HubRoles.HubAdmin)
            .WithTags("Audit")
            .WithName("VerifyAuditChain")
            .WithSummary("Reports whether the audit log's hash chain is intact, and where it breaks.");
        return endpoints;
    }
}
