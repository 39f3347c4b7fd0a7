using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.Routing.Persistence.Migrations;

[DbContext(typeof(RoutingDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "care_team",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                PartyId = table.Column<string>(maxLength: 64, nullable: false),
                UserId = table.Column<string>(maxLength: 128, nullable: true),
                Since = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_care_team", x => x.Id));
        migrationBuilder.CreateIndex("IX_care_team_PersonKey_Kind_PartyId", "care_team", ["PersonKey", "Kind", "PartyId"], unique: true);

        migrationBuilder.CreateTable(
            name: "consents",
            columns: table => new
            {
                ConsentId = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Grant = table.Column<string>(nullable: true),
                WithdrawnAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_consents", x => x.ConsentId));
        migrationBuilder.CreateIndex("IX_consents_PersonKey", "consents", "PersonKey");

        migrationBuilder.CreateTable(
            name: "disclosures",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UpdateId = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                RecipientKind = table.Column<string>(maxLength: 32, nullable: false),
                RecipientId = table.Column<string>(maxLength: 64, nullable: false),
                Source = table.Column<string>(maxLength: 32, nullable: false),
                Kind = table.Column<string>(maxLength: 64, nullable: false),
                Category = table.Column<string>(maxLength: 64, nullable: false),
                Delivered = table.Column<bool>(nullable: false),
                BasisOrReason = table.Column<string>(maxLength: 256, nullable: false),
                ConsentId = table.Column<Guid>(nullable: true),
                DecidedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_disclosures", x => x.Id));
        migrationBuilder.CreateIndex("IX_disclosures_PersonKey_DecidedAt", "disclosures", ["PersonKey", "DecidedAt"]);
    }
}
