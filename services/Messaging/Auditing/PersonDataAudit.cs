using System.Security.Claims;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using MassTransit;

namespace IntegrationHub.Messaging.Auditing;

public static class PersonDataAudit
{
    /// <summary>
    /// Queues the audit record of a read in the same transaction as anything else the request
    /// saves. Callers save before they answer, so no data leaves without its audit row.
    /// </summary>
    public static void AuditRead(
        this MessagingDbContext db,
        ClaimsPrincipal user,
        string personKey,
        string resource,
        string purpose,
        bool granted,
        DateTimeOffset at) =>
        db.Publish(new PersonDataAccessed(
            NewId.NextGuid(),
            new PersonReference(personKey),
            user.HubUser(),
            user.HubRole() ?? "none",
            user.HubParty(),
            resource,
            purpose,
            granted,
            at));
}
