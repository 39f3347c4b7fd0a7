using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Coordination.Persistence.Migrations;

[DbContext(typeof(CoordinationDbContext))]
[Migration("0002_InboxByAge")]
public sealed class M0002_InboxByAge : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => MessagingSchema.IndexInboxByProcessedAt(migrationBuilder);
}
