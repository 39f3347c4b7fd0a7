using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Coordination.Tests;

/// <summary>The coordinators' and staff's endpoints: clear errors for bad input, row-level access, audit.</summary>
public sealed class EscalationApiTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoordinationHub _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock), _clock);
        _personKey = await _hub.PersonKeyAsync();
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-40));
    }

    public async Task DisposeAsync() => await _hub.Server.DisposeAsync();

    [Fact]
    public async Task Resolving_needs_a_known_resolution_a_note_and_for_reached_a_contact_that_reached_the_person()
    {
        var escalation = await _hub.WaitForEscalationAsync(_personKey);
        var path = $"/coordination/escalations/{escalation.Id}";

        var (noNote, noNoteBody) = await _hub.SendAsync(HttpMethod.Post, $"{path}/resolve", HubRoles.Coordinator, CoordinationHub.NavCoordinator, body: new JsonObject { ["resolution"] = "reached" });
        var (unknown, _) = await _hub.SendAsync(HttpMethod.Post, $"{path}/resolve", HubRoles.Coordinator, CoordinationHub.NavCoordinator, body: new JsonObject { ["resolution"] = "gave-up", ["note"] = "x" });
        var (notYet, _) = await _hub.SendAsync(HttpMethod.Post, $"{path}/resolve", HubRoles.Coordinator, CoordinationHub.NavCoordinator, body: new JsonObject { ["resolution"] = "reached", ["note"] = "Talked." });
        var (badAttempt, attemptBody) = await _hub.SendAsync(HttpMethod.Post, $"{path}/contact-attempts", HubRoles.Coordinator, CoordinationHub.NavCoordinator,
            body: new JsonObject { ["channel"] = "carrier-pigeon", ["outcome"] = "reached", ["at"] = "yesterday" });

        Assert.Equal(HttpStatusCode.BadRequest, noNote);
        Assert.True(noNoteBody.GetProperty("errors").TryGetProperty("note", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal(HttpStatusCode.BadRequest, notYet);
        Assert.Equal(HttpStatusCode.BadRequest, badAttempt);
        Assert.True(attemptBody.GetProperty("errors").TryGetProperty("channel", out _));
        Assert.True(attemptBody.GetProperty("errors").TryGetProperty("at", out _));

        var (declined, body) = await _hub.SendAsync(HttpMethod.Post, $"{path}/resolve", HubRoles.Coordinator, CoordinationHub.NavCoordinator,
            body: new JsonObject { ["resolution"] = "person-declined", ["note"] = "Does not want follow-up now; asked to be called in a month." });
        Assert.Equal(HttpStatusCode.OK, declined);
        Assert.Equal("resolved", body.GetProperty("state").GetString());
        var (again, _) = await _hub.SendAsync(HttpMethod.Post, $"{path}/acknowledge", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Equal(HttpStatusCode.Conflict, again);
        var (missing, _) = await _hub.SendAsync(HttpMethod.Post, $"/coordination/escalations/{Guid.NewGuid()}/acknowledge", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        var (advisor, _) = await _hub.SendAsync(HttpMethod.Post, $"{path}/acknowledge", HubRoles.NavAdvisor, CoordinationHub.NavOffice);
        Assert.Equal(HttpStatusCode.Forbidden, advisor);
    }

    [Fact]
    public async Task The_channel_profile_is_agreed_with_the_person_and_shown_on_the_reach_profile()
    {
        await _hub.WaitForEscalationAsync(_personKey);

        var (bad, badBody) = await _hub.SendAsync(HttpMethod.Put, $"/persons/{_personKey}/channels", HubRoles.NavAdvisor, CoordinationHub.NavOffice,
            new JsonObject { ["usable"] = new JsonArray("phone", "telepathy"), ["preferred"] = "sms" });
        var (ok, _) = await _hub.SendAsync(HttpMethod.Put, $"/persons/{_personKey}/channels", HubRoles.NavAdvisor, CoordinationHub.NavOffice,
            new JsonObject { ["usable"] = new JsonArray("phone", "home-visit"), ["preferred"] = "phone", ["needsPhysicalMeetings"] = true });
        var (otherOffice, _) = await _hub.SendAsync(HttpMethod.Put, $"/persons/{_personKey}/channels", HubRoles.NavAdvisor, "0315",
            new JsonObject { ["usable"] = new JsonArray("sms") });
        var (_, reach) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{_personKey}/reach", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        var (hidden, _) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{_personKey}/reach", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality);

        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(badBody.GetProperty("errors").TryGetProperty("usable", out _));
        Assert.True(badBody.GetProperty("errors").TryGetProperty("preferred", out _));
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(HttpStatusCode.NotFound, otherOffice);
        Assert.Equal(HttpStatusCode.NotFound, hidden);
        var channels = reach.GetProperty("channels");
        Assert.Equal(["phone", "home-visit"], channels.GetProperty("usable").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("phone", channels.GetProperty("preferred").GetString());
        Assert.True(channels.GetProperty("needsPhysicalMeetings").GetBoolean());
        Assert.Contains("(nav-advisor)", channels.GetProperty("agreedBy").GetString(), StringComparison.Ordinal);
        Assert.Equal("reachable", reach.GetProperty("status").GetString());
        Assert.NotEmpty(reach.GetProperty("reasons").EnumerateArray());
    }
}
