using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.Coordination.Persistence.Migrations;

[DbContext(typeof(CoordinationDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "reach_profiles",
            columns: table => new
            {
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                NavOffice = table.Column<string>(maxLength: 8, nullable: true),
                Advisor = table.Column<string>(maxLength: 16, nullable: true),
                AdvisorChangedAt = table.Column<DateTime>(nullable: true),
                Municipality = table.Column<string>(maxLength: 8, nullable: true),
                FollowedSince = table.Column<DateTime>(nullable: false),
                CaseClosedAt = table.Column<DateTime>(nullable: true),
                LastContactAt = table.Column<DateTime>(nullable: true),
                Channels = table.Column<string>(maxLength: 128, nullable: true),
                PreferredChannel = table.Column<string>(maxLength: 32, nullable: true),
                NeedsPhysicalMeetings = table.Column<bool>(nullable: false),
                ChannelsAgreedAt = table.Column<DateTime>(nullable: true),
                ChannelsAgreedBy = table.Column<string>(maxLength: 128, nullable: true),
                Krr = table.Column<string>(maxLength: 32, nullable: false),
                KrrCheckedAt = table.Column<DateTime>(nullable: true),
                SealedIdentifier = table.Column<string>(maxLength: 128, nullable: true),
                Status = table.Column<string>(maxLength: 32, nullable: false),
                Reasons = table.Column<string>(nullable: false),
                AssessedAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_reach_profiles", x => x.PersonKey));

        migrationBuilder.CreateTable(
            name: "signals",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Signal = table.Column<string>(maxLength: 64, nullable: false),
                SourceKind = table.Column<string>(maxLength: 32, nullable: false),
                SourceId = table.Column<string>(maxLength: 64, nullable: false),
                OccurredAt = table.Column<DateTime>(nullable: false),
                ReceivedAt = table.Column<DateTime>(nullable: false),
                Reference = table.Column<string>(maxLength: 128, nullable: true),
                Channel = table.Column<string>(maxLength: 32, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_signals", x => x.Id));
        migrationBuilder.CreateIndex("IX_signals_PersonKey_OccurredAt", "signals", ["PersonKey", "OccurredAt"]);

        migrationBuilder.CreateTable(
            name: "escalations",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Level = table.Column<int>(nullable: false),
                State = table.Column<string>(maxLength: 32, nullable: false),
                Reasons = table.Column<string>(nullable: false),
                RaisedAt = table.Column<DateTime>(nullable: false),
                LastRaisedAt = table.Column<DateTime>(nullable: false),
                AcknowledgedAt = table.Column<DateTime>(nullable: true),
                AcknowledgedBy = table.Column<string>(maxLength: 128, nullable: true),
                ResolvedAt = table.Column<DateTime>(nullable: true),
                ResolvedBy = table.Column<string>(maxLength: 128, nullable: true),
                Resolution = table.Column<string>(maxLength: 64, nullable: true),
                ResolutionNote = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_escalations", x => x.Id));
        migrationBuilder.CreateIndex("IX_escalations_PersonKey_State", "escalations", ["PersonKey", "State"]);
        migrationBuilder.CreateIndex("IX_escalations_State", "escalations", "State");

        migrationBuilder.CreateTable(
            name: "contact_attempts",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                EscalationId = table.Column<Guid>(nullable: false),
                At = table.Column<DateTime>(nullable: false),
                Channel = table.Column<string>(maxLength: 32, nullable: false),
                Outcome = table.Column<string>(maxLength: 32, nullable: false),
                Note = table.Column<string>(maxLength: 2000, nullable: true),
                RecordedBy = table.Column<string>(maxLength: 128, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_contact_attempts", x => x.Id));
        migrationBuilder.CreateIndex("IX_contact_attempts_EscalationId", "contact_attempts", "EscalationId");
    }
}
