using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Coordination.Persistence.Migrations;

/// <summary>The person's rights: access requests (innsyn) with each module's part of their answer, and requests to correct or delete.</summary>
[DbContext(typeof(CoordinationDbContext))]
[Migration("0005_PersonRights")]
public sealed class M0005_PersonRights : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "access_requests",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                ReceivedVia = table.Column<string>(maxLength: 32, nullable: false),
                Note = table.Column<string>(maxLength: 2000, nullable: true),
                RegisteredBy = table.Column<string>(maxLength: 128, nullable: false),
                RegisteredByRole = table.Column<string>(maxLength: 64, nullable: false),
                RegisteredByUnit = table.Column<string>(maxLength: 64, nullable: true),
                RegisteredAt = table.Column<DateTime>(nullable: false),
                DueAt = table.Column<DateTime>(nullable: false),
                Level = table.Column<int>(nullable: false),
                HandedOverAt = table.Column<DateTime>(nullable: true),
                HandedOverBy = table.Column<string>(maxLength: 128, nullable: true),
                HandedOverVia = table.Column<string>(maxLength: 32, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_access_requests", x => x.Id));
        migrationBuilder.CreateIndex("IX_access_requests_PersonKey", "access_requests", "PersonKey");
        migrationBuilder.CreateTable(
            name: "access_report_sections",
            columns: table => new
            {
                RequestId = table.Column<Guid>(nullable: false),
                Module = table.Column<string>(maxLength: 64, nullable: false),
                SealedRecords = table.Column<string>(nullable: false),
                CompiledAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_access_report_sections", x => new { x.RequestId, x.Module }));
        migrationBuilder.CreateTable(
            name: "change_requests",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                Concerns = table.Column<string>(maxLength: 2000, nullable: false),
                Owner = table.Column<string>(maxLength: 32, nullable: false),
                OwnerUnit = table.Column<string>(maxLength: 16, nullable: true),
                ReceivedVia = table.Column<string>(maxLength: 32, nullable: false),
                RegisteredBy = table.Column<string>(maxLength: 128, nullable: false),
                RegisteredByRole = table.Column<string>(maxLength: 64, nullable: false),
                RegisteredByUnit = table.Column<string>(maxLength: 64, nullable: true),
                RegisteredAt = table.Column<DateTime>(nullable: false),
                DueAt = table.Column<DateTime>(nullable: false),
                Level = table.Column<int>(nullable: false),
                State = table.Column<string>(maxLength: 32, nullable: false),
                ResolvedAt = table.Column<DateTime>(nullable: true),
                ResolvedBy = table.Column<string>(maxLength: 128, nullable: true),
                ResolutionNote = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_change_requests", x => x.Id));
        migrationBuilder.CreateIndex("IX_change_requests_PersonKey", "change_requests", "PersonKey");
        migrationBuilder.CreateIndex("IX_change_requests_State", "change_requests", "State");
    }
}
