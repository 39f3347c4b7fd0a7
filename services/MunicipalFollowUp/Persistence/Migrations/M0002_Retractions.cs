using IntegrationHub.Delivery.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.MunicipalFollowUp.Persistence.Migrations;

[DbContext(typeof(MunicipalDbContext))]
[Migration("0002_Retractions")]
public sealed class M0002_Retractions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => DeliverySchema.ReplaceWithdrawalCopiesWithRetractions(migrationBuilder);
}
