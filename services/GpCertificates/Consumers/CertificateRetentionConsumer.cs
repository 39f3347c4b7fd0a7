using IntegrationHub.Contracts;
using IntegrationHub.GpCertificates.Persistence;
using IntegrationHub.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.GpCertificates.Consumers;

/// <summary>The person's retention period is over: every certificate about them goes, Bundle and all.</summary>
public sealed class CertificateRetentionConsumer(CertificatesDbContext db, TimeProvider time)
    : IdempotentConsumer<PersonDataExpired, CertificatesDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PersonDataExpired> context) =>
        Db.Certificates.RemoveRange(await Db.Certificates.Where(c => c.PersonKey == context.Message.Person.PersonKey).ToListAsync(context.CancellationToken));
}
