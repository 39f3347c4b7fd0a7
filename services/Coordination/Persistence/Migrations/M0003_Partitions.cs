using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Coordination.Persistence.Migrations;

[DbContext(typeof(CoordinationDbContext))]
[Migration("0003_Partitions")]
public sealed class M0003_Partitions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => MessagingSchema.PartitionTheOutbox(migrationBuilder);
}
