using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Audit.Persistence.Migrations;

[DbContext(typeof(AuditDbContext))]
[Migration("0004_Partitions")]
public sealed class M0004_Partitions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => MessagingSchema.PartitionTheOutbox(migrationBuilder);
}
