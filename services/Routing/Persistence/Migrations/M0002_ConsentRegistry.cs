using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Routing.Persistence.Migrations;

/// <summary>
/// The consent registry moves into routing's database, so a decision and the consents it saw are
/// one transaction; routing's copy of the consents goes. Disclosures keep their source, so a
/// correction reaches every recipient of the original. Consents kept in a former consent.db are
/// not carried over (no deployment had them: the hub was not in service yet).
/// </summary>
[DbContext(typeof(RoutingDbContext))]
[Migration("0002_ConsentRegistry")]
public sealed class M0002_ConsentRegistry : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("consents");
        migrationBuilder.CreateTable(
            name: "consent_registry",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Purpose = table.Column<string>(maxLength: 64, nullable: false),
                Recipients = table.Column<string>(maxLength: 512, nullable: false),
                Categories = table.Column<string>(maxLength: 256, nullable: false),
                ValidFrom = table.Column<DateOnly>(nullable: false),
                ValidUntil = table.Column<DateOnly>(nullable: false),
                ObtainedVia = table.Column<string>(maxLength: 16, nullable: false),
                WitnessedBy = table.Column<string>(maxLength: 128, nullable: true),
                RecordedBy = table.Column<string>(maxLength: 128, nullable: false),
                RecordedByRole = table.Column<string>(maxLength: 64, nullable: false),
                RecordedByParty = table.Column<string>(maxLength: 64, nullable: true),
                ObtainedByRecipientStaff = table.Column<bool>(nullable: false),
                RecordedAt = table.Column<DateTime>(nullable: false),
                WithdrawnAt = table.Column<DateTime>(nullable: true),
                WithdrawnVia = table.Column<string>(maxLength: 16, nullable: true),
                WithdrawalRecordedBy = table.Column<string>(maxLength: 128, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_consent_registry", x => x.Id));
        migrationBuilder.CreateIndex("IX_consent_registry_PersonKey", "consent_registry", "PersonKey");

        migrationBuilder.AddColumn<DateTime>(name: "RetractedAt", table: "disclosures", nullable: true);
        migrationBuilder.CreateIndex("IX_disclosures_ConsentId", "disclosures", "ConsentId");
        migrationBuilder.AddColumn<Guid>(name: "SourceId", table: "disclosures", nullable: false, defaultValue: Guid.Empty);
        migrationBuilder.CreateIndex("IX_disclosures_SourceId", "disclosures", "SourceId");
    }
}
