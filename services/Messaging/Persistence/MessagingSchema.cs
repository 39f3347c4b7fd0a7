using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.Messaging.Persistence;

/// <summary>
/// Hand-written migration steps for the outbox and inbox tables that every module database holds.
/// EF Core design tools are not available here, so schemas are versioned as hand-written
/// migrations; instants are <c>DateTime</c> columns (see <see cref="MessagingDbContext"/>).
/// </summary>
public static class MessagingSchema
{
    public static void CreateOutboxAndInbox(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "outbox_messages",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                MessageId = table.Column<Guid>(nullable: false),
                MessageType = table.Column<string>(maxLength: 512, nullable: false),
                Body = table.Column<string>(nullable: false),
                Destination = table.Column<string>(maxLength: 256, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                DueAt = table.Column<DateTime>(nullable: false),
                TimerKey = table.Column<string>(maxLength: 256, nullable: true),
                TraceParent = table.Column<string>(maxLength: 128, nullable: true),
                DispatchedAt = table.Column<DateTime>(nullable: true),
                Attempts = table.Column<int>(nullable: false),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_outbox_messages", x => x.Id));
        migrationBuilder.CreateIndex("IX_outbox_messages_MessageId", "outbox_messages", "MessageId", unique: true);
        migrationBuilder.CreateIndex("IX_outbox_messages_DispatchedAt_DueAt", "outbox_messages", ["DispatchedAt", "DueAt"]);
        migrationBuilder.CreateIndex("IX_outbox_messages_TimerKey", "outbox_messages", "TimerKey");

        migrationBuilder.CreateTable(
            name: "inbox_messages",
            columns: table => new
            {
                MessageId = table.Column<Guid>(nullable: false),
                Consumer = table.Column<string>(maxLength: 256, nullable: false),
                ProcessedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_inbox_messages", x => new { x.MessageId, x.Consumer }));
    }

    /// <summary>
    /// The cleanup finds inbox rows past their retention by age, oldest first; without this index
    /// each chunk's read scans the whole primary key.
    /// </summary>
    public static void IndexInboxByProcessedAt(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex("IX_inbox_messages_ProcessedAt", "inbox_messages", "ProcessedAt");

    /// <summary>
    /// Leases on the partitions of each duty an instance does alone, the instances taking part,
    /// and each outbox row's partition (by person), so instances sharing a database divide the
    /// outbox between them without two publishing one person's rows.
    /// </summary>
    public static void PartitionTheOutbox(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "duty_leases",
            columns: table => new
            {
                Duty = table.Column<string>(maxLength: 64, nullable: false),
                Partition = table.Column<int>(nullable: false),
                Owner = table.Column<string>(maxLength: 160, nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_duty_leases", x => new { x.Duty, x.Partition }));
        migrationBuilder.CreateTable(
            name: "duty_members",
            columns: table => new
            {
                Duty = table.Column<string>(maxLength: 64, nullable: false),
                Owner = table.Column<string>(maxLength: 160, nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_duty_members", x => new { x.Duty, x.Owner }));
        migrationBuilder.AddColumn<int>("Partition", "outbox_messages", nullable: false, defaultValue: 0);
    }
}
