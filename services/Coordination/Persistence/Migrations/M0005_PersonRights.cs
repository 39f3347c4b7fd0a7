using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Coordination.Persistence.Migrations;

/// <summary>Access requests (innsyn) and each module's part of their answer.</summary>
[DbContext(typeof(CoordinationDbContext))]
[Migration("0005_AccessRequests")]
public sealed class M0005_AccessRequests : Migration
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
    }
}
