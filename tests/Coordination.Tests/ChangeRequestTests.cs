using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Coordination.Tests;

/// <summary>Correction and deletion: a task for the party that owns the data, raised on the worklist as its deadline nears and passes, closed with a note.</summary>
public sealed class ChangeRequestTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoordinationHub _hub = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock), _clock);
        _personKey = await _hub.PersonKeyAsync();
        await _hub.CaseOpenedAsync(_hub.Now.AddDays(-3), "Kari", "Nordmann");
        await _hub.MunicipalRegistrationAsync();
        await _hub.SettleAsync();
    }

    public async Task DisposeAsync() => await _hub.Server.DisposeAsync();

    [Fact]
    public async Task A_correction_is_a_task_for_the_owning_municipality_raised_as_its_deadline_nears_and_passes_and_closed_with_a_note()
    {
        var (registered, request) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/change-requests", HubRoles.NavAdvisor, CoordinationHub.NavOffice, new JsonObject
        {
            ["kind"] = "correction",
            ["concerns"] = "Notatet fra 2. desember sier at hun ikke møtte; hun var på sykehus.",
            ["owner"] = new JsonObject { ["party"] = "municipality", ["unit"] = CoordinationHub.Municipality },
            ["receivedVia"] = "in-person",
        });
        Assert.Equal(HttpStatusCode.Created, registered);
        var requestId = request.GetProperty("requestId").GetGuid();
        var dueAt = request.GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(_hub.Now.AddMonths(1), dueAt);
        Assert.Equal("Oslo kommune (0301)", request.GetProperty("ownerName").GetString());

        var (_, osloTasks) = await _hub.SendAsync(HttpMethod.Get, "/change-requests", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality);
        var (_, bergenTasks) = await _hub.SendAsync(HttpMethod.Get, "/change-requests", HubRoles.MunicipalCaseworker, "4601");
        Assert.Equal(requestId, Assert.Single(osloTasks.EnumerateArray()).GetProperty("requestId").GetGuid());
        Assert.Empty(bergenTasks.EnumerateArray());
        Assert.Equal(1, await LevelOnTheWorklistAsync(requestId));

        _clock.Advance(dueAt - TimeSpan.FromDays(7) - _hub.Now + TimeSpan.FromMinutes(1));
        await _hub.SettleAsync();
        Assert.Equal(2, await LevelOnTheWorklistAsync(requestId));
        _clock.Advance(TimeSpan.FromDays(7));
        await _hub.SettleAsync();
        Assert.Equal(3, await LevelOnTheWorklistAsync(requestId));

        var (resolved, closed) = await _hub.SendAsync(HttpMethod.Post, $"/change-requests/{requestId}/resolve", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject
        {
            ["outcome"] = "done",
            ["note"] = "Notatet er rettet i journalen: hun var innlagt.",
        });
        Assert.Equal(HttpStatusCode.OK, resolved);
        Assert.Equal("done", closed.GetProperty("state").GetString());
        var (again, _) = await _hub.SendAsync(HttpMethod.Post, $"/change-requests/{requestId}/resolve", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality,
            new JsonObject { ["outcome"] = "refused", ["note"] = "Feil." });
        Assert.Equal(HttpStatusCode.Conflict, again);
        var (_, worklist) = await _hub.SendAsync(HttpMethod.Get, "/coordination/rights-requests", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Empty(worklist.EnumerateArray());
    }

    [Fact]
    public async Task A_request_without_what_it_concerns_or_its_owners_unit_is_refused_naming_the_fields()
    {
        var (status, problem) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/change-requests", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject
        {
            ["kind"] = "erase-everything",
            ["concerns"] = "",
            ["owner"] = new JsonObject { ["party"] = "nav" },
            ["receivedVia"] = "phone",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _));
        Assert.True(errors.TryGetProperty("concerns", out _));
        Assert.True(errors.TryGetProperty("owner.unit", out _));

        var (hubWithUnit, _) = await _hub.SendAsync(HttpMethod.Post, $"/persons/{_personKey}/change-requests", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject
        {
            ["kind"] = "deletion",
            ["concerns"] = "Slett telefon som kanal.",
            ["owner"] = new JsonObject { ["party"] = "hub", ["unit"] = "0301" },
            ["receivedVia"] = "phone",
        });
        Assert.Equal(HttpStatusCode.BadRequest, hubWithUnit);
    }

    private async Task<int> LevelOnTheWorklistAsync(Guid requestId)
    {
        var (status, open) = await _hub.SendAsync(HttpMethod.Get, "/coordination/rights-requests", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        Assert.Equal(HttpStatusCode.OK, status);
        var row = Assert.Single(open.EnumerateArray(), r => r.GetProperty("requestId").GetGuid() == requestId);
        Assert.Equal("Nordmann", row.GetProperty("person").GetProperty("name").GetProperty("family").GetString());
        return row.GetProperty("level").GetInt32();
    }
}
