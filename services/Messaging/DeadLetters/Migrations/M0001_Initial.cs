using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Messaging.DeadLetters.Migrations;

[DbContext(typeof(HubMessagingDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "dead_letters",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                MessageId = table.Column<Guid>(nullable: true),
                Queue = table.Column<string>(maxLength: 256, nullable: false),
                MessageType = table.Column<string>(maxLength: 512, nullable: true),
                ContentType = table.Column<string>(maxLength: 128, nullable: false),
                Envelope = table.Column<string>(nullable: false),
                ExceptionType = table.Column<string>(maxLength: 512, nullable: false),
                ExceptionMessage = table.Column<string>(maxLength: 4000, nullable: false),
                FailedAt = table.Column<DateTime>(nullable: false),
                ReplayedAt = table.Column<DateTime>(nullable: true),
                ReplayCount = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_dead_letters", x => x.Id));
        migrationBuilder.CreateIndex("IX_dead_letters_FailedAt", "dead_letters", "FailedAt");
    }
}
