using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Consent.Tests;

/// <summary>
/// The registry's answer to an adapter about to store: "in force as of T" is never given while a
/// withdrawal with an instant before T is uncommitted. On SQLite and on PostgreSQL.
/// </summary>
public sealed class ConsentConfirmationTests
{
    private const string Kari = "12039140045";

    private static Task<HubTestServer> StartAsync(string provider)
    {
        if (provider == "sqlite")
        {
            return HubTestServer.StartAsync("--modules", "consent");
        }

        var run = Guid.NewGuid().ToString("N");
        return HubTestServer.StartAsync(
            "--modules", "consent",
            "--Hub:Database:Provider=Postgres",
            $"--Hub:Database:ConnectionStrings:consent={TestPostgres.ConnectionStringFor($"ihub_consent_{run}")}",
            $"--Hub:Database:ConnectionStrings:messaging={TestPostgres.ConnectionStringFor($"ihub_messaging_{run}")}");
    }

    private static async Task<JsonElement> PostAsync(HubTestServer hub, string path, JsonNode body)
    {
        using var request = hub.Request(HttpMethod.Post, path, HubRoles.Coordinator, null, JsonContent.Create(body));
        using var response = await hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<Guid> GrantAsync(HubTestServer hub)
    {
        return (await PostAsync(hub, "/consents", ConsentRequests.GivenInPerson(Kari, ["municipality"], ["work-capacity"]))).GetProperty("consentId").GetGuid();
    }

    private static async Task<DateTimeOffset> WithdrawAsync(HubTestServer hub, Guid consentId) =>
        (await PostAsync(hub, $"/consents/{consentId}/withdraw", new JsonObject { ["via"] = "phone", ["recordedBy"] = "coord-7" }))
            .GetProperty("withdrawnAt").GetDateTimeOffset();

    /// <summary>Asks as an adapter does: publishes the question and waits for the published answer with its request id.</summary>
    private sealed class Asker : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ConsentsConfirmed>> _waiting = new();
        private readonly HubTestServer _hub;
        private BusObserver _answers = null!;

        private Asker(HubTestServer hub) => _hub = hub;

        public static async Task<Asker> StartAsync(HubTestServer hub)
        {
            var asker = new Asker(hub);
            asker._answers = await BusObserver.StartAsync(hub.Services, (o, e) => e.Handler<ConsentsConfirmed>(c =>
            {
                if (asker._waiting.TryGetValue(c.Message.RequestId, out var waiting))
                {
                    waiting.TrySetResult(c.Message);
                }

                return Task.CompletedTask;
            }));
            return asker;
        }

        public async Task<ConsentsConfirmed> ConfirmAsync(params Guid[] consentIds)
        {
            var requestId = Guid.NewGuid();
            var answer = _waiting.GetOrAdd(requestId, _ => new TaskCompletionSource<ConsentsConfirmed>(TaskCreationOptions.RunContinuationsAsynchronously));
            await _hub.Services.GetRequiredService<IBus>().Publish(new ConfirmConsents(requestId, consentIds));
            return await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public ValueTask DisposeAsync() => _answers.DisposeAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_registry_answers_which_consents_are_withdrawn_and_as_of_when(string provider)
    {
        await using var hub = await StartAsync(provider);
        await using var asker = await Asker.StartAsync(hub);
        var kept = await GrantAsync(hub);
        var withdrawn = await GrantAsync(hub);
        var unknown = Guid.NewGuid();
        var withdrawnAt = await WithdrawAsync(hub, withdrawn);

        var answer = await asker.ConfirmAsync(kept, withdrawn, unknown);

        Assert.True(answer.AsOf >= withdrawnAt);
        Assert.False(answer.EndedAt.ContainsKey(kept));
        Assert.Equal(withdrawnAt, answer.EndedAt[withdrawn]);
        Assert.Equal(DateTimeOffset.MinValue, answer.EndedAt[unknown]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task No_answer_says_in_force_after_a_withdrawal_it_did_not_see(string provider)
    {
        await using var hub = await StartAsync(provider);
        await using var asker = await Asker.StartAsync(hub);
        var consents = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            consents.Add(await GrantAsync(hub));
        }

        // Withdrawals and confirmations at once: each answer must agree with every withdrawal instant.
        var answers = new ConcurrentBag<ConsentsConfirmed>();
        using var stop = new CancellationTokenSource();
        var asking = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                answers.Add(await asker.ConfirmAsync([.. consents]));
            }
        }));
        var withdrawals = new ConcurrentDictionary<Guid, DateTimeOffset>();
        await Parallel.ForEachAsync(consents, new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (id, _) => withdrawals[id] = await WithdrawAsync(hub, id));
        await stop.CancelAsync();
        await asking;

        Assert.True(answers.Count > 12, $"only {answers.Count} answers raced the withdrawals");
        foreach (var answer in answers)
        {
            foreach (var id in consents)
            {
                if (answer.EndedAt.TryGetValue(id, out var ended))
                {
                    Assert.Equal(withdrawals[id], ended);
                    Assert.True(ended <= answer.AsOf);
                }
                else
                {
                    // At the same microsecond at most: the adapter then takes back what it stored at that instant.
                    Assert.True(withdrawals[id] >= answer.AsOf, $"in force as of {answer.AsOf:O}, yet withdrawn {withdrawals[id]:O}");
                }
            }
        }

        Assert.Contains(answers, a => a.EndedAt.Count is > 0 and < 12);
    }
}
