using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using MassTransit;
using static IntegrationHub.NavCases.Tests.NavEventBuilder;

namespace IntegrationHub.NavCases.Tests;

public sealed class NavEventsApiTests : IAsyncLifetime
{
    private HubTestServer _hub = null!;
    private BusObserver _published = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubTestServer.StartAsync("--modules", "nav-cases");
        _published = await BusObserver.StartAsync(_hub.Services, (o, e) =>
        {
            e.Handler<EngagementSignalObserved>(c => o.Record(c.Message));
            e.Handler<WorkAssessmentCaseOpened>(c => o.Record(c.Message));
            e.Handler<WorkAssessmentCaseClosed>(c => o.Record(c.Message));
            e.Handler<AdvisorAssigned>(c => o.Record(c.Message));
        });
    }

    public async Task DisposeAsync()
    {
        await _published.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string Text)> PostAsync(JsonNode body, string role = HubRoles.NavSystem)
    {
        using var request = _hub.Request(HttpMethod.Post, "/nav/events", role, "nav", JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, text);
    }

    private static Guid IdOf(JsonObject ev) => Guid.Parse(ev["eventId"]!.GetValue<string>());

    [Fact]
    public async Task A_batch_of_500_mixed_events_is_answered_per_event_and_publishes_only_the_valid_new_ones()
    {
        var now = DateTimeOffset.UtcNow;
        var earlier = Enumerable.Range(0, 25).Select(i => MessageSent(now.AddDays(-20).AddMinutes(i), $"earlier-{i}")).ToList();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(new JsonArray([.. earlier.Select(e => (JsonNode)e.DeepClone())]))).Status);

        // 400 valid new events, 50 invalid ones (five kinds of fault), 25 sent before, 25 repeated within the batch.
        var batch = new List<(JsonObject Event, string Expected)>();
        var validNew = new List<JsonObject>();
        for (var i = 0; i < 400; i++)
        {
            var at = now.AddDays(-10).AddMinutes(i);
            var ev = (i % 4) switch
            {
                0 => MessageSent(at, $"m-{i}"),
                1 => MeetingMissed(at, $"meeting-{i}"),
                2 => StatusCardMissed(at),
                _ => ContactRegistered(at, succeeded: i % 8 == 3),
            };
            validNew.Add(ev);
            batch.Add((ev, "accepted"));
            if (i % 16 == 0)
            {
                batch.Add(((JsonObject)ev.DeepClone(), "duplicate"));
            }

            if (i % 8 == 0)
            {
                var bad = MessageSent(at, $"bad-{i}");
                var fault = (i / 8) % 5;
                switch (fault)
                {
                    case 0: bad["type"] = "message-burned"; break;
                    case 1: bad["person"] = new JsonObject { ["identifier"] = "12039140046" }; break;
                    case 2: bad.Remove("navOffice"); break;
                    case 3: bad["advisor"] = "z99"; break;
                    default: bad["occurredAt"] = Instant(now.AddDays(2)); break;
                }

                batch.Add((bad, "rejected"));
            }

            if (i % 16 == 8)
            {
                batch.Add(((JsonObject)earlier[i / 16].DeepClone(), "duplicate"));
            }
        }

        Assert.Equal(500, batch.Count);
        var (status, body, text) = await PostAsync(new JsonArray([.. batch.Select(b => (JsonNode)b.Event)]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(400, body.GetProperty("accepted").GetInt32());
        Assert.Equal(50, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(50, body.GetProperty("rejected").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        for (var i = 0; i < batch.Count; i++)
        {
            Assert.Equal(i, results[i].GetProperty("index").GetInt32());
            Assert.Equal(batch[i].Expected, results[i].GetProperty("status").GetString());
            if (batch[i].Expected == "rejected")
            {
                Assert.NotEmpty(results[i].GetProperty("errors").EnumerateObject());
            }
        }

        Assert.DoesNotContain("12039140046", text, StringComparison.Ordinal);

        // Exactly one signal per valid new event: none for the rejected, none again for the duplicates.
        var expected = validNew.Select(IdOf).Concat(earlier.Select(IdOf)).ToHashSet();
        await Eventually.WaitForAsync(
            () => Task.FromResult(_published.Messages.OfType<EngagementSignalObserved>().Count()),
            n => n >= expected.Count,
            "a signal per accepted event");
        await Task.Delay(500);
        var signals = _published.Messages.OfType<EngagementSignalObserved>().ToList();
        Assert.Equal(expected.Count, signals.Count);
        Assert.Equal(expected, signals.Select(s => s.SignalId).ToHashSet());
        Assert.Equal(100, signals.Count(s => s.Signal == EngagementSignal.MeetingMissed));
        Assert.Equal(100, signals.Count(s => s.Signal == EngagementSignal.EmploymentStatusCardMissed));
        Assert.Equal(50, signals.Count(s => s.Signal == EngagementSignal.ContactSucceeded));
        Assert.All(signals.Where(s => s.Signal == EngagementSignal.ContactSucceeded), s => Assert.Equal("home-visit", s.Channel));
        Assert.All(signals, s => Assert.Equal(new PartyReference(PartyKind.Nav, Office), s.Source));
    }

    [Fact]
    public async Task A_single_bad_event_gets_problem_details_naming_each_field_without_echoing_the_identifier()
    {
        var ev = MessageSent(DateTimeOffset.UtcNow, "m-1");
        ev["person"] = new JsonObject { ["identifier"] = "12039140046" };
        ev["navOffice"] = "314";
        ev["occurredAt"] = "2026-11-20T10:00:00";
        ev.Remove("messageId");

        var (status, body, text) = await PostAsync(ev);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("person.identifier", out _));
        Assert.True(errors.TryGetProperty("navOffice", out _));
        Assert.True(errors.TryGetProperty("occurredAt", out _));
        Assert.True(errors.TryGetProperty("messageId", out _));
        Assert.DoesNotContain("12039140046", text, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Empty(_published.Messages);
    }

    [Fact]
    public async Task The_same_event_twice_is_a_duplicate_answered_as_success_and_published_once()
    {
        var ev = CaseOpened(DateTimeOffset.UtcNow.AddHours(-1));

        var first = await PostAsync(ev);
        var second = await PostAsync(ev);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("duplicate", second.Body.GetProperty("status").GetString());
        var opened = await _published.WaitForAsync<WorkAssessmentCaseOpened>(o => o.EventId == IdOf(ev));
        var assigned = await _published.WaitForAsync<AdvisorAssigned>(a => a.EventId == IdOf(ev));
        Assert.Equal("arbeidsavklaring", opened.CaseType);
        Assert.Equal(Advisor, assigned.Advisor);
        await Task.Delay(300);
        Assert.Single(_published.Messages.OfType<WorkAssessmentCaseOpened>());
    }

    [Fact]
    public async Task An_advisor_change_names_the_previous_advisor_and_an_older_assignment_arriving_late_changes_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(CaseOpened(now.AddDays(-30)));
        var change = AdvisorAssigned(now.AddDays(-2), "Z990456");
        var late = AdvisorAssigned(now.AddDays(-10), "Z990789");

        await PostAsync(change);
        await PostAsync(late);

        var assigned = await _published.WaitForAsync<AdvisorAssigned>(a => a.EventId == IdOf(change));
        Assert.Equal(Advisor, assigned.PreviousAdvisor);
        await Task.Delay(500);
        Assert.DoesNotContain(_published.Messages.OfType<AdvisorAssigned>(), a => a.Advisor == "Z990789");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{\"eventId\": ")]
    public async Task A_body_that_is_not_an_event_or_a_batch_is_refused_with_a_problem(string body)
    {
        using var request = _hub.Request(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var response = await _hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_batch_of_501_is_refused_whole()
    {
        var batch = new JsonArray([.. Enumerable.Range(0, 501).Select(i => (JsonNode)MessageSent(DateTimeOffset.UtcNow.AddMinutes(-i), $"m-{i}"))]);

        var (status, _, _) = await PostAsync(batch);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        await Task.Delay(300);
        Assert.Empty(_published.Messages);
    }

    [Fact]
    public async Task Only_the_nav_system_may_post_events()
    {
        var (status, _, _) = await PostAsync(MessageSent(DateTimeOffset.UtcNow, "m-1"), HubRoles.NavAdvisor);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}
