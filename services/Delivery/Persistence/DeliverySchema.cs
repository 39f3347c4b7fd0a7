using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.Delivery.Persistence;

/// <summary>Hand-written migration steps for the tables of <see cref="DeliveryDbContext"/>.</summary>
public static class DeliverySchema
{
    public static void CreateDeliveryTables(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "delivered_updates",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                RecipientKind = table.Column<string>(maxLength: 32, nullable: false),
                RecipientId = table.Column<string>(maxLength: 64, nullable: false),
                RecipientUser = table.Column<string>(maxLength: 128, nullable: true),
                Source = table.Column<string>(maxLength: 32, nullable: false),
                Kind = table.Column<string>(maxLength: 64, nullable: false),
                OccurredAt = table.Column<DateTime>(nullable: false),
                StoredAt = table.Column<DateTime>(nullable: false),
                Content = table.Column<string>(nullable: false),
                Visible = table.Column<bool>(nullable: false),
                AcknowledgedAt = table.Column<DateTime>(nullable: true),
                AcknowledgedBy = table.Column<string>(maxLength: 128, nullable: true),
                WebhookStatus = table.Column<string>(maxLength: 32, nullable: false),
                WebhookAttempts = table.Column<int>(nullable: false),
                NextAttemptAt = table.Column<DateTime>(nullable: true),
                WebhookDeliveredAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_delivered_updates", x => x.Id));
        migrationBuilder.CreateIndex(
            "IX_delivered_updates_RecipientKind_RecipientId_StoredAt", "delivered_updates", ["RecipientKind", "RecipientId", "StoredAt"]);
        migrationBuilder.CreateIndex("IX_delivered_updates_PersonKey_StoredAt", "delivered_updates", ["PersonKey", "StoredAt"]);
        migrationBuilder.CreateIndex("IX_delivered_updates_WebhookStatus_NextAttemptAt", "delivered_updates", ["WebhookStatus", "NextAttemptAt"]);

        migrationBuilder.CreateTable(
            name: "webhook_attempts",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                UpdateId = table.Column<Guid>(nullable: false),
                At = table.Column<DateTime>(nullable: false),
                Outcome = table.Column<string>(maxLength: 32, nullable: false),
                StatusCode = table.Column<int>(nullable: true),
                Error = table.Column<string>(maxLength: 512, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_webhook_attempts", x => x.Id));
        migrationBuilder.CreateIndex("IX_webhook_attempts_UpdateId", "webhook_attempts", "UpdateId");

        migrationBuilder.CreateTable(
            name: "withdrawn_consents",
            columns: table => new
            {
                ConsentId = table.Column<Guid>(nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                WithdrawnAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_withdrawn_consents", x => x.ConsentId));
        migrationBuilder.CreateIndex("IX_withdrawn_consents_PersonKey", "withdrawn_consents", "PersonKey");
    }

    /// <summary>
    /// Adapters no longer keep a copy of withdrawals (routing retracts instead): the copy goes, and
    /// retractions and corrections that overtake their update are kept until it comes.
    /// </summary>
    public static void ReplaceWithdrawalCopiesWithRetractions(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("withdrawn_consents");
        migrationBuilder.CreateTable(
            name: "retracted_before_arrival",
            columns: table => new
            {
                UpdateId = table.Column<Guid>(nullable: false),
                Categories = table.Column<string>(maxLength: 256, nullable: false),
                Correction = table.Column<string>(maxLength: 32, nullable: true),
                RetractedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_retracted_before_arrival", x => x.UpdateId));
        migrationBuilder.AddColumn<string>(name: "Correction", table: "delivered_updates", maxLength: 32, nullable: true);
    }

    /// <summary>
    /// The outbox's partitions (<see cref="MessagingSchema.PartitionTheOutbox"/>), and each update's,
    /// by person: the instance holding it pushes the update's webhook.
    /// </summary>
    public static void PartitionTheOutboxAndWebhooks(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.PartitionTheOutbox(migrationBuilder);
        migrationBuilder.AddColumn<int>("Partition", "delivered_updates", nullable: false, defaultValue: 0);
    }
}
