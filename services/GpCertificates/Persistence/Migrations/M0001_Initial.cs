using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.GpCertificates.Persistence.Migrations;

[DbContext(typeof(CertificatesDbContext))]
[Migration("0001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "certificates",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                IdentifierSystem = table.Column<string>(maxLength: 512, nullable: false),
                IdentifierValue = table.Column<string>(maxLength: 512, nullable: false),
                ContentHash = table.Column<string>(maxLength: 64, nullable: false),
                Body = table.Column<byte[]>(nullable: false),
                SenderParty = table.Column<string>(maxLength: 64, nullable: false),
                SenderUser = table.Column<string>(maxLength: 128, nullable: false),
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                Status = table.Column<string>(maxLength: 32, nullable: false),
                Replaces = table.Column<Guid>(nullable: true),
                ReceivedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_certificates", x => x.Id));
        migrationBuilder.CreateIndex(
            "IX_certificates_IdentifierSystem_IdentifierValue", "certificates", ["IdentifierSystem", "IdentifierValue"], unique: true);
        migrationBuilder.CreateIndex("IX_certificates_PersonKey", "certificates", "PersonKey");
    }
}
