using IntegrationHub.Contracts;
using IntegrationHub.Routing.Persistence;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Coordination.Tests;

/// <summary>
/// Coordination gets signals only through the legal-basis table, on its own delivery queue: with
/// the coordinator rows it gets a missed meeting, without them it gets nothing, and the disclosure
/// log says so either way.
/// </summary>
public sealed class CoordinationThroughTheTableTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(int Signals, IReadOnlyList<bool> Decisions)> MissedMeetingAsync(params string[] settings)
    {
        var clock = new ManualTimeProvider(Start);
        await using var server = await HubTestServer.StartAsync(clock, settings);
        var hub = new CoordinationHub(server, clock);
        var personKey = await hub.PersonKeyAsync();
        await hub.NavEventAsync("meeting-missed", Start.AddHours(-2), e => e["meetingId"] = "meeting-1");

        // Routing's decision for the coordinators comes first; what follows from it is then in an outbox or consumed.
        var decisions = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<RoutingDbContext>().Disclosures.AsNoTracking()
                    .Where(d => d.PersonKey == personKey && d.RecipientKind == PartyKind.Coordination).Select(d => d.Delivered).ToListAsync();
            },
            d => d.Count > 0,
            "routing's decision for the coordinators");
        await hub.SettleAsync();
        var signals = await hub.QueryAsync(db => db.Signals.CountAsync(s => s.PersonKey == personKey));
        return (signals, decisions);
    }

    [Fact]
    public async Task With_the_coordinator_rows_coordination_gets_the_signal()
    {
        var (signals, decisions) = await MissedMeetingAsync();

        Assert.Equal(1, signals);
        Assert.All(decisions, Assert.True);
    }

    [Fact]
    public async Task Without_the_coordinator_rows_in_the_table_coordination_gets_nothing()
    {
        // The whole table is replaced: one row, none for the coordinators.
        var (signals, decisions) = await MissedMeetingAsync(
            "--Routing:LegalBases:0:Source=gp",
            "--Routing:LegalBases:0:Recipient=nav",
            "--Routing:LegalBases:0:Category=work-capacity",
            "--Routing:LegalBases:0:Basis=statutory",
            "--Routing:LegalBases:0:Reference=folketrygdloven § 21-4");

        Assert.Equal(0, signals);
        Assert.All(decisions, Assert.False);
    }
}
