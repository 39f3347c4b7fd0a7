using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Routing.Persistence.Migrations;

/// <summary>The disclosure log is deleted by age once past its period: found oldest first through this index.</summary>
[DbContext(typeof(RoutingDbContext))]
[Migration("0005_DisclosuresByAge")]
public sealed class M0005_DisclosuresByAge : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex("IX_disclosures_DecidedAt", "disclosures", "DecidedAt");
}
