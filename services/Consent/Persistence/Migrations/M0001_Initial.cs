using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Consent.Persistence.Migrations;

[DbContext(typeof(ConsentDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "consents",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Purpose = table.Column<string>(maxLength: 64, nullable: false),
                Recipients = table.Column<string>(maxLength: 128, nullable: false),
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
            constraints: table => table.PrimaryKey("PK_consents", x => x.Id));
        migrationBuilder.CreateIndex("IX_consents_PersonKey", "consents", "PersonKey");
    }
}
