using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.EndToEnd;

/// <summary>
/// The hub under load and faults, split over two processes on the real broker. Each test ends by
/// counting, per certificate, what reached each inbox: exactly once, none lost.
/// </summary>
public sealed class FaultToleranceTests
{
    private static readonly DateTimeOffset FirstIssue = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-10).ToUnixTimeSeconds());

    private sealed record Certificate(int Index, string Identifier, DateTimeOffset IssuedAt, string Body);

    private static List<Certificate> Certificates(IReadOnlyList<string> people, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new Certificate(i, people[i % people.Count], FirstIssue.AddSeconds(i), CertificateExamples.NewFor(people[i % people.Count], FirstIssue.AddSeconds(i))))
            .ToList();

    /// <summary>POSTs each certificate, <paramref name="parallelism"/> at a time; each must be answered 201.</summary>
    private static Task PostEachAsync(HttpClient client, string token, IEnumerable<Certificate> certificates, int parallelism) =>
        Parallel.ForEachAsync(certificates, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (certificate, _) =>
            Assert.Equal(HttpStatusCode.Created, await PostAsync(client, token, certificate.Body)));

    /// <summary>
    /// As a GP system does: a certificate without an answer (or with an error) is sent again until
    /// it gets 201 or 200. Sent to the intake's address as it is at each try: a restarted process
    /// listens on a new port.
    /// </summary>
    private static Task PostEachUntilAcceptedAsync(HubDeployment hub, string token, IEnumerable<Certificate> certificates) =>
        Parallel.ForEachAsync(certificates, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (certificate, _) =>
        {
            while (true)
            {
                try
                {
                    using var client = new HttpClient { BaseAddress = hub.IntakeAddress, Timeout = TimeSpan.FromSeconds(30) };
                    if (await PostAsync(client, token, certificate.Body) is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The process is gone or restarting.
                }

                await Task.Delay(200);
            }
        });

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/fhir/Bundle", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Waits for the expected rows, then a moment more, so a late duplicate would be counted too.</summary>
    private static async Task<IReadOnlyList<InboxRow>> SettledRowsAsync(HubDeployment hub, Func<IReadOnlyList<InboxRow>, bool> complete, string what)
    {
        try
        {
            await Eventually.WaitForAsync(hub.InboxRowsAsync, rows => complete(rows), what, TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            var rows = await hub.InboxRowsAsync();
            throw new TimeoutException(
                $"Gave up waiting for {what}: nav {rows.Count(r => r.Inbox == "nav")}, municipality {rows.Count(r => r.Inbox == "municipality")} rows.\n{await WhatTheProcessesSayAsync(hub)}");
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        return await hub.InboxRowsAsync();
    }

    /// <summary>
    /// Keeps each process's whole log in TestResults/fault-logs and answers their tails, with what
    /// each process's /health/ready says of its bus endpoints: that tells a consumer that never
    /// reconnected from one that stalled.
    /// </summary>
    private static async Task<string> WhatTheProcessesSayAsync(HubDeployment hub)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "TestResults", "fault-logs");
        Directory.CreateDirectory(folder);
        var said = new StringBuilder();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var (name, process) in hub.Members)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"{DateTime.UtcNow:HHmmss}-{name}.log"), process.Output + process.Errors);
            try
            {
                said.AppendLine($"{name} /health/ready: {await probe.GetStringAsync(new Uri(process.BaseAddress, "/health/ready"))}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                said.AppendLine($"{name} /health/ready: no answer ({ex.Message})");
            }
        }

        foreach (var (name, process) in hub.Members)
        {
            said.AppendLine($"--- {name} (whole log in TestResults/fault-logs):\n{Tail(process.Output + process.Errors, 6000)}");
        }

        return said.ToString();
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    /// <summary>Every certificate in both inboxes, each exactly once, after a moment for late duplicates.</summary>
    private static async Task<IReadOnlyList<InboxRow>> AssertEachInBothInboxesExactlyOnceAsync(HubDeployment hub, IReadOnlyList<Certificate> certificates)
    {
        var rows = await SettledRowsAsync(hub, r => r.Count >= 2 * certificates.Count, "every certificate in both inboxes");
        AssertExactlyOnce(rows, certificates, "nav");
        AssertExactlyOnce(rows, certificates, "municipality");
        return rows;
    }

    /// <summary>Waits until the load is mid-stream (some certificates in both inboxes, others queued or half-consumed), brings the fault and its recovery, and lets the load finish.</summary>
    private static async Task FaultDuringLoadAsync(HubDeployment hub, Task load, Func<Task> faultAndRecovery)
    {
        await Eventually.WaitForAsync(async () => (await hub.InboxRowsAsync()).Count, n => n >= 200, "the first deliveries", TimeSpan.FromMinutes(2));
        try
        {
            await faultAndRecovery();
            await load;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"The load or the fault failed: {ex.Message}\n{await WhatTheProcessesSayAsync(hub)}", ex);
        }
    }

    private static void AssertExactlyOnce(IReadOnlyList<InboxRow> rows, IEnumerable<Certificate> certificates, string inbox)
    {
        var counts = rows.Where(r => r.Inbox == inbox).GroupBy(r => r.OccurredAt).ToDictionary(g => g.Key, g => g.Count());
        var wrong = certificates.Where(c => counts.GetValueOrDefault(c.IssuedAt) != 1)
            .Select(c => $"certificate {c.Index}: {counts.GetValueOrDefault(c.IssuedAt)}").ToList();
        Assert.True(wrong.Count == 0, $"{inbox} inbox, not exactly once: {string.Join(", ", wrong.Take(20))}");
    }

    [Fact]
    public async Task Every_certificate_posted_three_times_at_once_reaches_each_inbox_exactly_once()
    {
        var broker = await TestBroker.CreateVirtualHostAsync("duplicate-storm");
        await using var hub = await HubDeployment.StartSplitAsync(broker);
        var people = TestPersons.Synthetic(10, seed: 31);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 200);
        using var client = new HttpClient { BaseAddress = hub.Intake.BaseAddress };
        var token = hub.Token(HubRoles.GpSystem, "90128");

        var answers = new ConcurrentDictionary<int, HttpStatusCode[]>();
        await Parallel.ForEachAsync(certificates, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (certificate, _) =>
            answers[certificate.Index] = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(client, token, certificate.Body))));

        Assert.All(answers.Values, three =>
        {
            Assert.Equal(1, three.Count(s => s == HttpStatusCode.Created));
            Assert.Equal(2, three.Count(s => s == HttpStatusCode.OK));
        });
        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    [Fact]
    public async Task Killing_the_routing_and_delivery_process_during_load_loses_and_repeats_nothing()
    {
        var broker = await TestBroker.CreateVirtualHostAsync("kill-core");
        await using var hub = await HubDeployment.StartSplitAsync(broker);
        var people = TestPersons.Synthetic(20, seed: 41);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 2000);
        using var client = new HttpClient { BaseAddress = hub.Intake.BaseAddress };
        var token = hub.Token(HubRoles.GpSystem, "90128");
        var load = PostEachAsync(client, token, certificates, 8);

        await FaultDuringLoadAsync(hub, load, hub.KillCoreAndStartItAgainAsync);
        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    [Fact]
    public async Task Killing_the_intake_process_during_load_loses_nothing_the_GP_systems_were_told_was_received()
    {
        var broker = await TestBroker.CreateVirtualHostAsync("kill-intake");
        await using var hub = await HubDeployment.StartSplitAsync(broker);
        var people = TestPersons.Synthetic(20, seed: 47);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 1000);
        var token = hub.Token(HubRoles.GpSystem, "90128");

        var load = PostEachUntilAcceptedAsync(hub, token, certificates);

        await FaultDuringLoadAsync(hub, load, hub.KillIntakeAndStartItAgainAsync);
        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    /// <summary>
    /// Two instances of each process on PostgreSQL, behind balancers; one instance dies (SIGKILL).
    /// A routing and delivery instance's unacknowledged messages go to the other, and so do its
    /// outbox and webhook partitions once their leases run out. An intake instance's unanswered
    /// POSTs are sent again, through the balancer, to the other, which publishes what the dead one
    /// had answered once the leases of its outbox partitions run out.
    /// </summary>
    [Theory]
    [InlineData("core-2", 61)]
    [InlineData("intake-2", 67)]
    public async Task Killing_one_of_two_instances_of_a_process_during_load_loses_nothing_the_GP_systems_were_told_was_received(string instance, int seed)
    {
        var broker = await TestBroker.CreateVirtualHostAsync($"kill-{instance}");
        await using var hub = await HubDeployment.StartScaledOutAsync(broker, instances: 2);
        var people = TestPersons.Synthetic(20, seed: seed);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 3000);
        var token = hub.Token(HubRoles.GpSystem, "90128");
        var load = PostEachUntilAcceptedAsync(hub, token, certificates);

        await FaultDuringLoadAsync(hub, load, () =>
        {
            hub.KillInstance(instance);
            return Task.CompletedTask;
        });
        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    /// <summary>
    /// Two instances of each process on a cluster of three RabbitMQ nodes; the node that leads the
    /// busiest quorum queue dies (SIGKILL). The queue elects a leader among its two other replicas,
    /// the instances connected to the dead node move to another, and what they had published
    /// without a confirm is published again from their outboxes.
    /// </summary>
    [ClusterFact]
    public async Task Killing_the_RabbitMQ_node_that_leads_the_busiest_queue_during_load_loses_and_repeats_nothing()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var hub = await HubDeployment.StartScaledOutAsync(cluster.Options, instances: 2);
        var people = TestPersons.Synthetic(20, seed: 73);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 3000);
        using var client = new HttpClient { BaseAddress = hub.IntakeAddress };
        var token = hub.Token(HubRoles.GpSystem, "90128");
        var load = PostEachAsync(client, token, certificates, 8);

        await FaultDuringLoadAsync(hub, load, async () => await (await cluster.BusiestQueueAsync()).Leader.KillAsync());
        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    /// <summary>
    /// The PostgreSQL server every instance shares freezes for 10 s (SIGSTOP, then SIGCONT) during
    /// the load, as on a stalled disk: connections stay open and nothing answers, so requests,
    /// consumers, outbox dispatch and lease renewals all wait on it. GP systems send again what was
    /// not answered.
    /// </summary>
    [Fact]
    public async Task Freezing_PostgreSQL_for_ten_seconds_during_load_loses_and_repeats_nothing()
    {
        // A server of this test's own: the shared one serves the other tests meanwhile.
        await using var postgres = await PrivatePostgres.StartAsync();
        var broker = await TestBroker.CreateVirtualHostAsync("freeze-postgres");
        await using var hub = await HubDeployment.StartScaledOutAsync(broker, instances: 2, postgresServer: postgres.Server);
        var people = TestPersons.Synthetic(20, seed: 71);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 3000);
        var token = hub.Token(HubRoles.GpSystem, "90128");
        var load = PostEachUntilAcceptedAsync(hub, token, certificates);

        await FaultDuringLoadAsync(hub, load, async () =>
        {
            await postgres.PauseAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await postgres.ResumeAsync();
        });
        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    [Fact]
    public async Task Stopping_the_broker_during_load_and_starting_it_again_loses_and_repeats_nothing()
    {
        // A node of this test's own: the shared test broker keeps serving the other tests.
        await using var broker = await PrivateBroker.StartAsync();
        await using var hub = await HubDeployment.StartSplitAsync(broker.Options, new Dictionary<string, string> { ["Logging__LogLevel__MassTransit"] = "Information" });
        var people = TestPersons.Synthetic(20, seed: 53);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 1500);
        // The load may be over before the node has stopped, so the last 200 are sent only once it has.
        var sentWhileDown = certificates[^200..];
        using var client = new HttpClient { BaseAddress = hub.Intake.BaseAddress };
        var token = hub.Token(HubRoles.GpSystem, "90128");
        var load = PostEachAsync(client, token, certificates[..^200], 8);

        await FaultDuringLoadAsync(hub, load, async () =>
        {
            await broker.StopAsync();
            // The intake's outbox keeps what it accepted, so GP systems are answered as usual while the broker is away.
            await PostEachAsync(client, token, sentWhileDown, 8);
            await broker.StartAgainAsync();
        });

        await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
    }

    [Fact]
    public async Task A_webhook_receiver_down_during_load_gets_the_backlog_once_back_in_order_per_person_and_once_each()
    {
        await using var receiver = await LoopbackWebhookReceiver.StartAsync();
        receiver.Down = true;
        var broker = await TestBroker.CreateVirtualHostAsync("webhook-down");
        await using var hub = await HubDeployment.StartSplitAsync(broker, new Dictionary<string, string>
        {
            ["MunicipalFollowUp__Webhook__Url"] = receiver.Url.ToString(),
            ["MunicipalFollowUp__Webhook__Retries"] = "0",
            ["MunicipalFollowUp__Webhook__HoldBack"] = "00:00:00",
            ["MunicipalFollowUp__Webhook__FirstBackoff"] = "00:00:01",
            ["MunicipalFollowUp__Webhook__MaxBackoff"] = "00:00:04",
            ["MunicipalFollowUp__Webhook__BreakDuration"] = "00:00:02",
        });
        var people = TestPersons.Synthetic(6, seed: 43);
        await hub.FollowAsync(people);
        var certificates = Certificates(people, 240);
        using var client = new HttpClient { BaseAddress = hub.Intake.BaseAddress };
        var token = hub.Token(HubRoles.GpSystem, "90128");
        await PostEachAsync(client, token, certificates, 6);

        var rows = await AssertEachInBothInboxesExactlyOnceAsync(hub, certificates);
        Assert.Empty(receiver.Processed);
        Assert.NotEmpty(receiver.Calls);

        receiver.Down = false;
        await Eventually.WaitForAsync(() => Task.FromResult(receiver.Processed.Count), n => n >= certificates.Count, "the backlog at the receiver", TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Once each: one update per certificate, and no update processed twice.
        var processed = receiver.Processed.Values.Select(b => b.GetProperty("occurredAt").GetDateTimeOffset()).ToList();
        Assert.Equal(certificates.Count, processed.Count);
        Assert.Equal(certificates.Select(c => c.IssuedAt).Order(), processed.Order());
        Assert.Equal(0, receiver.Repeats);

        // In order per person: each person's updates arrive in the order the hub stored them.
        var storedAt = rows.Where(r => r.Inbox == "municipality").ToDictionary(r => r.OccurredAt, r => r.StoredAt);
        foreach (var person in receiver.Calls.Where(c => c.Status == 200).GroupBy(c => c.Body!.Value.GetProperty("personKey").GetString()))
        {
            var arrivals = person.Select(c => storedAt[c.Body!.Value.GetProperty("occurredAt").GetDateTimeOffset()]).ToList();
            Assert.True(arrivals.SequenceEqual(arrivals.Order()), $"person {person.Key}: updates arrived out of the order they were stored");
        }
    }

    /// <summary>
    /// With one routing instance, and with two on PostgreSQL behind a balancer: the withdrawal is
    /// answered by one of them while both decide, so the answer must hold for the other as well.
    /// </summary>
    [Theory]
    [InlineData(1, 8, 320)]
    [InlineData(2, 20, 3000)]
    public async Task Consent_withdrawn_during_load_shares_nothing_decided_after_it_retracts_what_was_unread_and_loses_nothing_else(int instances, int peopleCount, int load)
    {
        var broker = await TestBroker.CreateVirtualHostAsync($"withdrawal-under-load-{instances}");
        await using var hub = instances == 1 ? await HubDeployment.StartSplitAsync(broker) : await HubDeployment.StartScaledOutAsync(broker, instances);
        var people = TestPersons.Synthetic(peopleCount, seed: 37);
        await hub.FollowAsync(people);
        var withdrawing = people[0];
        using var core = new HttpClient { BaseAddress = hub.CoreAddress };
        var caseworker = hub.CoreToken(HubRoles.MunicipalCaseworker, HubDeployment.Municipality);
        var personKey = (await SendAsync<JsonElement>(core, HttpMethod.Post, "/persons/key", caseworker, new { identifier = withdrawing })).GetProperty("personKey").GetString()!;
        var consentId = (await SendAsync<JsonElement>(core, HttpMethod.Get, $"/persons/{personKey}/consents", caseworker)).EnumerateArray().Single().GetProperty("consentId").GetGuid();

        var certificates = Certificates(people, load);
        var token = hub.Token(HubRoles.GpSystem, "90128");
        using var intake = new HttpClient { BaseAddress = hub.IntakeAddress };
        var posting = PostEachAsync(intake, token, certificates, 6);
        // The caseworker reads the first of the person's certificates; then the person withdraws, with the rest still on their way.
        var ofPerson = certificates.Where(c => c.Identifier == withdrawing).Select(c => c.IssuedAt).ToHashSet();
        var first = await Eventually.WaitForAsync(
            async () => (await hub.InboxRowsAsync()).Where(r => r.Inbox == "municipality" && ofPerson.Contains(r.OccurredAt)).ToList(),
            rows => rows.Count >= 3,
            "the first of the person's certificates at the municipality",
            TimeSpan.FromMinutes(2));
        var read = first.Take(2).Select(r => r.Id).ToHashSet();
        foreach (var id in read)
        {
            await SendAsync<JsonElement>(core, HttpMethod.Post, $"/inbox/{id}/ack", caseworker, new { });
        }

        var withdrawal = await SendAsync<JsonElement>(core, HttpMethod.Post, $"/consents/{consentId}/withdraw", caseworker, new { via = "phone", recordedBy = "fault-test" });
        var withdrawnAt = withdrawal.GetProperty("withdrawnAt").GetDateTimeOffset();
        await posting;

        // NAV gets every certificate by law; the municipality every one of the others.
        var rows = await SettledRowsAsync(hub, r => r.Count(x => x.Inbox == "nav") >= certificates.Count, "every certificate at NAV");
        AssertExactlyOnce(rows, certificates, "nav");
        AssertExactlyOnce(rows, certificates.Where(c => c.Identifier != withdrawing), "municipality");

        // The disclosure log, update by update: decided after the withdrawal, withheld; before it, delivered if read, else retracted.
        var log = await Eventually.WaitForAsync(
            async () => (await SendAsync<JsonElement>(core, HttpMethod.Get, $"/persons/{personKey}/disclosures", hub.CoreToken(HubRoles.Coordinator, HubDeployment.Municipality)))
                .EnumerateArray().Where(d => d.GetProperty("recipient").GetString() == "municipality" && d.GetProperty("kind").GetString() == "medical-certificate").ToList(),
            l => l.Count == 3 * ofPerson.Count && l.Count(d => d.GetProperty("outcome").GetString() == "delivered") == 3 * read.Count,
            "every municipal decision of the person's certificates logged, and all but the read ones retracted or withheld",
            TimeSpan.FromMinutes(2));
        Assert.All(log, d => Assert.True(
            d.GetProperty("decidedAt").GetDateTimeOffset() < withdrawnAt
                ? d.GetProperty("outcome").GetString() is "delivered" or "retracted"
                : d.GetProperty("outcome").GetString() == "withheld",
            $"{d.GetProperty("outcome").GetString()} decided {d.GetProperty("decidedAt").GetDateTimeOffset():O}, withdrawn {withdrawnAt:O}"));
        // Not vacuous: the withdrawal raced certificates on both sides of it.
        Assert.Contains(log, d => d.GetProperty("outcome").GetString() == "retracted");
        Assert.Contains(log, d => d.GetProperty("outcome").GetString() == "withheld");

        // What the caseworker can see of the person: exactly the certificates read before the withdrawal.
        var inbox = await SendAsync<JsonElement>(core, HttpMethod.Get, $"/inbox?personKey={personKey}&pageSize=100", caseworker);
        var visible = inbox.GetProperty("persons").EnumerateArray().SelectMany(p => p.GetProperty("updates").EnumerateArray())
            .Where(u => u.GetProperty("kind").GetString() == "medical-certificate")
            .Select(u => u.GetProperty("updateId").GetGuid())
            .ToHashSet();
        Assert.Equal(read.Order(), visible.Order());
        var personRows = (await hub.InboxRowsAsync()).Where(r => r.Inbox == "municipality" && ofPerson.Contains(r.OccurredAt)).ToList();
        Assert.All(personRows.GroupBy(r => r.OccurredAt), g => Assert.Single(g));
        Assert.Equal(read.Order(), personRows.Where(r => r.Visible).Select(r => r.Id).Order());
    }

    private static async Task<T> SendAsync<T>(HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text)!;
    }
}
