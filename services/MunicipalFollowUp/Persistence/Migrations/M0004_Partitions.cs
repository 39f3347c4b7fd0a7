using IntegrationHub.Delivery.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.MunicipalFollowUp.Persistence.Migrations;

[DbContext(typeof(MunicipalDbContext))]
[Migration("0004_Partitions")]
public sealed class M0004_Partitions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => DeliverySchema.PartitionTheOutboxAndWebhooks(migrationBuilder);
}
