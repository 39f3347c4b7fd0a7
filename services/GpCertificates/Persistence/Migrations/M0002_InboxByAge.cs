using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.GpCertificates.Persistence.Migrations;

[DbContext(typeof(CertificatesDbContext))]
[Migration("0002_InboxByAge")]
public sealed class M0002_InboxByAge : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => MessagingSchema.IndexInboxByProcessedAt(migrationBuilder);
}
