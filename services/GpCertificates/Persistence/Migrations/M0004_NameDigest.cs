using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.GpCertificates.Persistence.Migrations;

[DbContext(typeof(CertificatesDbContext))]
[Migration("0004_NameDigest")]
public sealed class M0004_NameDigest : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("NameDigest", "certificates", maxLength: 64, nullable: true);
        migrationBuilder.CreateIndex("IX_certificates_PersonKey_NameDigest", "certificates", ["PersonKey", "NameDigest"]);
    }
}
