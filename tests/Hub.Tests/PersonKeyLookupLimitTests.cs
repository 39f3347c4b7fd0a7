using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

/// <summary><c>POST /persons/key</c> is an oracle, so each user gets a limited number of lookups.</summary>
public sealed class PersonKeyLookupLimitTests : IAsyncLifetime
{
    private HubTestServer _hub = null!;

    // A window of an hour: nothing refills while the test runs, so the count alone decides.
    public async Task InitializeAsync() => _hub = await HubTestServer.StartAsync("--Hub:PersonKeyLookups:PermitLimit=3", "--Hub:PersonKeyLookups:Window=01:00:00");

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<HttpResponseMessage> LookUpAsync(string user)
    {
        using var request = _hub.Request(HttpMethod.Post, "/persons/key", content: JsonContent.Create(new { identifier = "12039140045" }));
        request.Headers.Authorization = new("Bearer", HubTokens.For(_hub.DataDirectory, HubRoles.MunicipalCaseworker, "0301", user));
        return await _hub.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_user_past_the_limit_gets_429_while_another_user_still_gets_answers_and_every_answer_is_audited()
    {
        var answered = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answered.Add((await LookUpAsync("rus-oslo-1")).StatusCode);
        }

        using var refused = await LookUpAsync("rus-oslo-1");
        using var other = await LookUpAsync("rus-oslo-2");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answered);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var audited = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.CountAsync(e => e.Resource == "persons/key");
            },
            count => count >= 4,
            "four lookups in the audit log");
        Assert.Equal(4, audited);
    }
}
