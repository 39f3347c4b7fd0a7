using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Coordination.Persistence.Migrations;

/// <summary>Who the person is and how to reach them: name and identifier, KRR's contact details, the municipal services that follow them.</summary>
[DbContext(typeof(CoordinationDbContext))]
[Migration("0004_PersonDetails")]
public sealed class M0004_PersonDetails : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("KrrContact", "reach_profiles", maxLength: 1024, nullable: true);
        migrationBuilder.CreateTable(
            name: "person_details",
            columns: table => new
            {
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                SealedIdentifier = table.Column<string>(maxLength: 128, nullable: false),
                Name = table.Column<string>(maxLength: 1024, nullable: true),
                NameSource = table.Column<string>(maxLength: 32, nullable: true),
                NameGivenAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_person_details", x => x.PersonKey));
        migrationBuilder.CreateTable(
            name: "municipal_contacts",
            columns: table => new
            {
                PersonKey = table.Column<string>(maxLength: 64, nullable: false),
                Municipality = table.Column<string>(maxLength: 8, nullable: false),
                Service = table.Column<string>(maxLength: 32, nullable: false),
                Caseworker = table.Column<string>(maxLength: 64, nullable: false),
                Since = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_municipal_contacts", x => new { x.PersonKey, x.Municipality }));

        // The municipality already following a person stays their contact point; its service and
        // caseworker come with its next registration.
        migrationBuilder.Sql("""
            INSERT INTO municipal_contacts ("PersonKey", "Municipality", "Service", "Caseworker", "Since")
            SELECT "PersonKey", "Municipality", 'other', '', "FollowedSince" FROM reach_profiles WHERE "Municipality" IS NOT NULL
            """);
    }
}
