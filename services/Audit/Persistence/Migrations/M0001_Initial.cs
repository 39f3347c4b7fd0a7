using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Audit.Persistence.Migrations;

[DbContext(typeof(AuditDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "audit_entries",
            columns: table => new
            {
                Sequence = table.Column<long>(nullable: false),
                EntryId = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                ActorUserId = table.Column<string>(maxLength: 128, nullable: false),
                ActorRole = table.Column<string>(maxLength: 64, nullable: false),
                ActorParty = table.Column<string>(maxLength: 64, nullable: true),
                Resource = table.Column<string>(maxLength: 256, nullable: false),
                Purpose = table.Column<string>(maxLength: 256, nullable: false),
                Granted = table.Column<bool>(nullable: false),
                OccurredAt = table.Column<DateTime>(nullable: false),
                RecordedAt = table.Column<DateTime>(nullable: false),
                PreviousHash = table.Column<string>(maxLength: 64, nullable: false),
                Hash = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit_entries", x => x.Sequence));
        migrationBuilder.CreateIndex("IX_audit_entries_EntryId", "audit_entries", "EntryId", unique: true);
        migrationBuilder.CreateIndex("IX_audit_entries_PersonKey_OccurredAt", "audit_entries", ["PersonKey", "OccurredAt"]);
    }
}
