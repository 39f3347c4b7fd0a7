using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Audit.Persistence.Migrations;

/// <summary>The audit log's oldest entries are deleted once past their period: found by age through this index.</summary>
[DbContext(typeof(AuditDbContext))]
[Migration("0005_EntriesByAge")]
public sealed class M0005_EntriesByAge : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex("IX_audit_entries_RecordedAt", "audit_entries", "RecordedAt");
}
