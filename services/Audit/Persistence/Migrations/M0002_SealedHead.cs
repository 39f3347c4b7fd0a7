using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Audit.Persistence.Migrations;

/// <summary>The sealed head and its checkpoints. A log from before this has no seal until its next append seals it.</summary>
[DbContext(typeof(AuditDbContext))]
[Migration("0002_SealedHead")]
public sealed class M0002_SealedHead : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "audit_head",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false),
                Count = table.Column<long>(nullable: false),
                Hash = table.Column<string>(maxLength: 64, nullable: false),
                SealedAt = table.Column<DateTime>(nullable: false),
                Seal = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit_head", x => x.Id));
        migrationBuilder.CreateTable(
            name: "audit_checkpoints",
            columns: table => new
            {
                Count = table.Column<long>(nullable: false),
                Hash = table.Column<string>(maxLength: 64, nullable: false),
                SealedAt = table.Column<DateTime>(nullable: false),
                Seal = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit_checkpoints", x => x.Count));
    }
}
