using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Audit.Persistence.Migrations;

[DbContext(typeof(AuditDbContext))]
[Migration("0003_InboxByAge")]
public sealed class M0003_InboxByAge : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => MessagingSchema.IndexInboxByProcessedAt(migrationBuilder);
}
