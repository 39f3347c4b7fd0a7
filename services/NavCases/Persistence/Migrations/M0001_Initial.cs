using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.NavCases.Persistence.Migrations;

[DbContext(typeof(NavCasesDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        DeliverySchema.CreateDeliveryTables(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "nav_cases",
            columns: table => new
            {
                CaseId = table.Column<string>(maxLength: 64, nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                NavOffice = table.Column<string>(maxLength: 8, nullable: false),
                Advisor = table.Column<string>(maxLength: 16, nullable: true),
                CaseType = table.Column<string>(maxLength: 32, nullable: true),
                OpenedAt = table.Column<DateTime>(nullable: true),
                ClosedAt = table.Column<DateTime>(nullable: true),
                Outcome = table.Column<string>(maxLength: 64, nullable: true),
                AdvisorSince = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_nav_cases", x => x.CaseId));
        migrationBuilder.CreateIndex("IX_nav_cases_PersonKey", "nav_cases", "PersonKey");
        migrationBuilder.CreateIndex("IX_nav_cases_NavOffice_ClosedAt", "nav_cases", ["NavOffice", "ClosedAt"]);

        migrationBuilder.CreateTable(
            name: "nav_events",
            columns: table => new
            {
                EventId = table.Column<Guid>(nullable: false),
                Type = table.Column<string>(maxLength: 64, nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                CaseId = table.Column<string>(maxLength: 64, nullable: false),
                NavOffice = table.Column<string>(maxLength: 8, nullable: false),
                OccurredAt = table.Column<DateTime>(nullable: false),
                ReceivedAt = table.Column<DateTime>(nullable: false),
                Detail = table.Column<string>(maxLength: 160, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_nav_events", x => x.EventId));
        migrationBuilder.CreateIndex("IX_nav_events_PersonKey_OccurredAt", "nav_events", ["PersonKey", "OccurredAt"]);
    }
}
