using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.GpCertificates.Persistence;
using IntegrationHub.Messaging;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Coordination.Tests;

/// <summary>
/// A year after the last NAV office and municipality stopped following a person, every module has
/// deleted what it held about them, and only the audit log and the disclosure log remain. On a moved
/// clock, on SQLite files and on PostgreSQL.
/// </summary>
public sealed class RetentionTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_year_after_follow_up_ended_only_the_audit_and_disclosure_logs_remain(string provider)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await HubTestServer.StartAsync(clock, provider == "postgres" ? TestPostgres.HubArguments("retention") : []);
        var hub = new CoordinationHub(server, clock);
        var personKey = await FollowedWithSomethingInEveryModuleAsync(hub);

        await hub.NavEventAsync("case-closed", hub.Now.AddMinutes(-5), e => e["outcome"] = "cleared-for-work");
        var (ended, _) = await hub.SendAsync(HttpMethod.Post, $"/municipal/persons/{personKey}/end", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject());
        Assert.Equal(HttpStatusCode.OK, ended);
        await hub.SettleAsync();

        clock.Advance(TimeSpan.FromDays(364));
        await hub.SettleAsync();
        var kept = await CountsAsync(server, personKey);
        Assert.All(kept, c => Assert.True(c.Value > 0, $"{c.Key} was deleted before the retention period was over"));

        clock.Advance(TimeSpan.FromDays(2));
        await hub.SettleAsync();
        var left = await Eventually.WaitForAsync(
            () => CountsAsync(server, personKey),
            counts => counts.Where(c => !IsLog(c.Key)).All(c => c.Value == 0),
            "every module's deletion of the person's data",
            describe: counts => string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));

        Assert.All(left.Where(c => IsLog(c.Key)), c => Assert.True(c.Value > 0, $"{c.Key} is kept for its own period"));
        Assert.All(left.Where(c => !IsLog(c.Key)), c => Assert.Equal(0, c.Value));
    }

    [Fact]
    public async Task Followed_again_before_the_period_is_over_keeps_the_data()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await HubTestServer.StartAsync(clock);
        var hub = new CoordinationHub(server, clock);
        var personKey = await FollowedWithSomethingInEveryModuleAsync(hub);
        await hub.NavEventAsync("case-closed", hub.Now.AddMinutes(-5), e => e["outcome"] = "other");
        var (ended, _) = await hub.SendAsync(HttpMethod.Post, $"/municipal/persons/{personKey}/end", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject());
        Assert.Equal(HttpStatusCode.OK, ended);
        await hub.SettleAsync();

        clock.Advance(TimeSpan.FromDays(200));
        await hub.MunicipalRegistrationAsync();
        await hub.SettleAsync();
        clock.Advance(TimeSpan.FromDays(200));
        await hub.SettleAsync();

        var counts = await CountsAsync(server, personKey);
        Assert.All(counts, c => Assert.True(c.Value > 0, $"{c.Key} was deleted though the person is followed again"));
    }

    [Fact]
    public async Task The_disclosure_and_audit_logs_go_once_past_their_own_period_and_the_audit_chain_still_verifies()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await HubTestServer.StartAsync(clock, "--Retention:AfterFollowUpEnds=30.00:00:00", "--Retention:LogsKeptFor=400.00:00:00");
        var hub = new CoordinationHub(server, clock);
        var personKey = await FollowedWithSomethingInEveryModuleAsync(hub);
        var cleanup = server.Services.GetRequiredService<Messaging.Outbox.OutboxDispatcher<RoutingDbContext>>();
        var disclosures = (await CountsAsync(server, personKey))["routing disclosures"];

        clock.Advance(TimeSpan.FromDays(399));
        await cleanup.CleanupAsync(CancellationToken.None);
        Assert.Equal(disclosures, (await CountsAsync(server, personKey))["routing disclosures"]);

        clock.Advance(TimeSpan.FromDays(2));
        Assert.True(await cleanup.CleanupAsync(CancellationToken.None) >= disclosures);
        Assert.Equal(0, (await CountsAsync(server, personKey))["routing disclosures"]);

        await server.Services.GetRequiredService<Messaging.Outbox.OutboxDispatcher<AuditDbContext>>().CleanupAsync(CancellationToken.None);
        Assert.Equal(0, (await CountsAsync(server, personKey))["audit entries"]);
        var (status, verified) = await hub.SendAsync(HttpMethod.Get, "/admin/audit/verify", HubRoles.HubAdmin);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task A_dead_letter_goes_once_the_period_for_a_persons_data_is_over()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await HubTestServer.StartAsync(clock, "--Retention:AfterFollowUpEnds=30.00:00:00");
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubMessagingDbContext>();
            db.DeadLetters.Add(new DeadLetter
            {
                Id = Guid.NewGuid(), Queue = "municipal-notes", ContentType = "application/json", Envelope = "sealed", ExceptionType = "Test", ExceptionMessage = "failed", FailedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        var cleanup = server.Services.GetRequiredService<Messaging.Outbox.OutboxDispatcher<HubMessagingDbContext>>();
        async Task<int> LettersAsync()
        {
            await using var scope = server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<HubMessagingDbContext>().DeadLetters.CountAsync();
        }

        clock.Advance(TimeSpan.FromDays(29));
        await cleanup.CleanupAsync(CancellationToken.None);
        Assert.Equal(1, await LettersAsync());

        clock.Advance(TimeSpan.FromDays(2));
        await cleanup.CleanupAsync(CancellationToken.None);
        Assert.Equal(0, await LettersAsync());
    }

    private static bool IsLog(string table) => table is "audit entries" or "routing disclosures";

    /// <summary>A person NAV and Oslo follow, named, with a note, a consent, a certificate, an escalation, an access and a correction request.</summary>
    private static async Task<string> FollowedWithSomethingInEveryModuleAsync(CoordinationHub hub)
    {
        var personKey = await hub.PersonKeyAsync();
        await hub.CaseOpenedAsync(hub.Now.AddDays(-40), "Kari", "Nordmann");
        await hub.MunicipalRegistrationAsync();
        await hub.MunicipalNoteAsync(hub.Now.AddDays(-35), "not-reached", "phone-lost");
        await hub.SettleAsync();
        var (consented, _) = await hub.SendAsync(HttpMethod.Post, "/consents", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality,
            ConsentRequests.GivenInPerson(CoordinationHub.Kari, ["nav", "municipality:0301"], ["contact-status", "follow-up-notes", "work-capacity"]));
        Assert.Equal(HttpStatusCode.Created, consented);
        await hub.SendCertificateAsync(CoordinationHub.Kari, hub.Now.AddDays(-2));
        var (asked, _) = await hub.SendAsync(HttpMethod.Post, $"/persons/{personKey}/access-requests", HubRoles.NavAdvisor, CoordinationHub.NavOffice,
            new JsonObject { ["receivedVia"] = "letter" });
        Assert.Equal(HttpStatusCode.Created, asked);
        var (correction, _) = await hub.SendAsync(HttpMethod.Post, $"/persons/{personKey}/change-requests", HubRoles.NavAdvisor, CoordinationHub.NavOffice, new JsonObject
        {
            ["kind"] = "deletion",
            ["concerns"] = "Telefonnummeret er ikke hennes lenger.",
            ["owner"] = new JsonObject { ["party"] = "hub" },
            ["receivedVia"] = "phone",
        });
        Assert.Equal(HttpStatusCode.Created, correction);
        await hub.WaitForEscalationAsync(personKey);
        await hub.SettleAsync();
        return personKey;
    }

    private static async Task<Dictionary<string, int>> CountsAsync(HubTestServer server, string personKey)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var certificates = services.GetRequiredService<CertificatesDbContext>();
        var nav = services.GetRequiredService<NavCasesDbContext>();
        var municipal = services.GetRequiredService<MunicipalDbContext>();
        var routing = services.GetRequiredService<RoutingDbContext>();
        var coordination = services.GetRequiredService<Persistence.CoordinationDbContext>();
        var audit = services.GetRequiredService<AuditDbContext>();
        return new Dictionary<string, int>
        {
            ["gp-certificates certificates"] = await certificates.Certificates.CountAsync(c => c.PersonKey == personKey),
            ["nav-cases cases"] = await nav.Cases.CountAsync(c => c.PersonKey == personKey),
            ["nav-cases events"] = await nav.Events.CountAsync(e => e.PersonKey == personKey),
            ["nav-cases inbox"] = await nav.DeliveredUpdates.CountAsync(u => u.PersonKey == personKey),
            ["municipal notes"] = await municipal.Notes.CountAsync(n => n.PersonKey == personKey),
            ["municipal inbox"] = await municipal.DeliveredUpdates.CountAsync(u => u.PersonKey == personKey),
            ["routing consents"] = await routing.Consents.CountAsync(c => c.PersonKey == personKey),
            ["routing disclosures"] = await routing.Disclosures.CountAsync(d => d.PersonKey == personKey),
            ["coordination profile"] = await coordination.Profiles.CountAsync(p => p.PersonKey == personKey),
            ["coordination name"] = await coordination.People.CountAsync(p => p.PersonKey == personKey),
            ["coordination signals"] = await coordination.Signals.CountAsync(s => s.PersonKey == personKey),
            ["coordination escalations"] = await coordination.Escalations.CountAsync(e => e.PersonKey == personKey),
            ["coordination access requests"] = await coordination.AccessRequests.CountAsync(r => r.PersonKey == personKey),
            ["coordination change requests"] = await coordination.ChangeRequests.CountAsync(r => r.PersonKey == personKey),
            ["audit entries"] = await audit.Entries.CountAsync(e => e.PersonKey == personKey),
        };
    }
}
