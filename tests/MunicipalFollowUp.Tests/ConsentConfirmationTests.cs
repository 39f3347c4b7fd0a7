using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Consent.Persistence;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.MunicipalFollowUp.Tests;

/// <summary>
/// The adapter asks the consent registry before it stores, so a withdrawal whose event has not
/// reached the adapter (nor routing) still stops an update routed under the consent.
/// </summary>
public sealed class ConsentConfirmationTests : IAsyncLifetime
{
    private const string Kari = "12039140045";
    private const string Oslo = "0301";
    private HubTestServer _hub = null!;
    private BusObserver _withheld = null!;
    private string _personKey = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubTestServer.StartAsync();
        _withheld = await BusObserver.StartAsync(_hub.Services, (o, e) => e.Handler<UpdateWithheldAtDelivery>(c => o.Record(c.Message)));
        _personKey = (await PostAsync("/persons/key", new JsonObject { ["identifier"] = Kari })).GetProperty("personKey").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _withheld.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private async Task<JsonElement> PostAsync(string path, JsonNode body)
    {
        using var request = _hub.Request(HttpMethod.Post, path, HubRoles.Coordinator, null, JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<Guid> GrantAsync()
    {
        return (await PostAsync("/consents", ConsentRequests.GivenInPerson(Kari, ["municipality"], ["work-capacity"]))).GetProperty("consentId").GetGuid();
    }

    private DeliverUpdate RoutedUnder(Guid consentId)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new DeliverUpdate(
            Guid.NewGuid(), Guid.NewGuid(), new PersonReference(_personKey), new PartyReference(PartyKind.Municipality, Oslo), null,
            "gp", "medical-certificate", DateTimeOffset.UtcNow,
            [new DisclosureBasis(DataCategory.WorkCapacity, "consent", "samtykke", consentId)], [],
            new WorkCapacity(today, today.AddDays(14), 100m), null, null);
    }

    private async Task<T> QueryAsync<TContext, T>(Func<TContext, Task<T>> query)
        where TContext : DbContext
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    [Fact]
    public async Task An_update_under_a_consent_withdrawn_in_the_registry_is_withheld_before_the_adapter_hears_of_the_withdrawal()
    {
        var withdrawn = await GrantAsync();
        var valid = await GrantAsync();
        // The registry has the withdrawal, but its ConsentWithdrawn event is still on its way:
        // only the consent row changes, nothing is published.
        var withdrawnAt = DateTimeOffset.UtcNow;
        await QueryAsync<ConsentDbContext, int>(c => c.Consents.Where(x => x.Id == withdrawn)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.WithdrawnAt, withdrawnAt)));

        var late = RoutedUnder(withdrawn);
        var allowed = RoutedUnder(valid);
        var send = await _hub.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{DeliveryQueues.Municipality}"));
        await send.Send(late);
        await send.Send(allowed);

        var correction = await _withheld.WaitForAsync<UpdateWithheldAtDelivery>(w => w.UpdateId == late.UpdateId);
        Assert.Equal(DataCategory.WorkCapacity, Assert.Single(correction.Categories).Category);
        Assert.Equal(DeliverUpdate.WithdrawnReason, correction.Categories[0].Reason);
        Assert.True(correction.At >= withdrawnAt);

        var stored = await Eventually.WaitForAsync(
            () => QueryAsync<MunicipalDbContext, List<Guid>>(m => m.DeliveredUpdates.Select(u => u.Id).ToListAsync()),
            ids => ids.Contains(allowed.UpdateId),
            "the update under the valid consent in the inbox");
        Assert.DoesNotContain(late.UpdateId, stored);
        var storedAt = await QueryAsync<MunicipalDbContext, DateTimeOffset>(m => m.DeliveredUpdates.Where(u => u.Id == allowed.UpdateId).Select(u => u.StoredAt).SingleAsync());
        Assert.True(storedAt > withdrawnAt, "the allowed update is stored as of the registry's answer, after the other consent's withdrawal");
    }
}
