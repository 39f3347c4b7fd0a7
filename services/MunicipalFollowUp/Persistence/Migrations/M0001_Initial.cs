using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.MunicipalFollowUp.Persistence.Migrations;

[DbContext(typeof(MunicipalDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        DeliverySchema.CreateDeliveryTables(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "notes",
            columns: table => new
            {
                NoteId = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Municipality = table.Column<string>(maxLength: 8, nullable: false),
                Caseworker = table.Column<string>(maxLength: 64, nullable: false),
                Service = table.Column<string>(maxLength: 32, nullable: false),
                RecordedAt = table.Column<DateTime>(nullable: false),
                ReceivedAt = table.Column<DateTime>(nullable: false),
                Outcome = table.Column<string>(maxLength: 32, nullable: false),
                Channel = table.Column<string>(maxLength: 32, nullable: false),
                Signals = table.Column<string>(maxLength: 256, nullable: false),
                Text = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_notes", x => x.NoteId));
        migrationBuilder.CreateIndex("IX_notes_PersonKey_RecordedAt", "notes", ["PersonKey", "RecordedAt"]);

        migrationBuilder.CreateTable(
            name: "followed_persons",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Municipality = table.Column<string>(maxLength: 8, nullable: false),
                Caseworker = table.Column<string>(maxLength: 64, nullable: false),
                Service = table.Column<string>(maxLength: 32, nullable: false),
                Since = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_followed_persons", x => x.Id));
        migrationBuilder.CreateIndex("IX_followed_persons_PersonKey_Municipality", "followed_persons", ["PersonKey", "Municipality"], unique: true);
        migrationBuilder.CreateIndex("IX_followed_persons_Municipality", "followed_persons", "Municipality");
    }
}
