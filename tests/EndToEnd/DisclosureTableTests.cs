using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Routing.Domain;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.EndToEnd;

/// <summary>
/// Every (source, recipient, category) row of the default legal-basis table for the NAV and
/// municipal recipients (GP, NAV, municipality and coordination as sources), under every consent state, through the whole hub over RabbitMQ: from
/// the party's HTTP intake to the recipient's inbox. Each case is a person of its own, whose
/// consent covers only the category under test, so the exact fields received can be checked.
/// </summary>
public sealed class DisclosureTableTests : IAsyncLifetime
{
    private const string NavOffice = "0314";
    private const string Municipality = "0301";

    public enum ConsentState
    {
        None,
        Valid,
        Expired,
        NotYetValid,
        Withdrawn,
    }

    public sealed record Case(string Source, string Recipient, string Category, ConsentState State, string Identifier)
    {
        public override string ToString() => $"{Source} -> {Recipient}: {Category}, consent {State}";
    }

    /// <summary>The JSON field that carries each category in an update.</summary>
    private static readonly Dictionary<string, string> Fields = new()
    {
        [DataCategory.WorkCapacity] = "workCapacity",
        [DataCategory.Diagnosis] = "diagnoses",
        [DataCategory.MedicalAssessment] = "assessment",
        [DataCategory.ContactStatus] = "contact",
        [DataCategory.CaseStatus] = "case",
        [DataCategory.FollowUpNotes] = "followUpNote",
    };

    private HubTestServer _hub = null!;

    public async Task InitializeAsync()
    {
        var rabbitMq = await TestBroker.CreateVirtualHostAsync("table");
        _hub = await HubTestServer.StartAsync(
            "--transport", "rabbitmq",
            $"--Hub:RabbitMq:Host={rabbitMq.Host}",
            $"--Hub:RabbitMq:Port={rabbitMq.Port}",
            $"--Hub:RabbitMq:VirtualHost={rabbitMq.VirtualHost}",
            // One test user looks up the key of each of its 80 people within a minute.
            "--Hub:PersonKeyLookups:PermitLimit=200");
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    /// <summary>The event each source sends for a category, and the kind of update it becomes.</summary>
    private static string KindFor(Case c) => (c.Source, c.Category, c.Recipient) switch
    {
        ("nav", DataCategory.ReachSignals, "coordinator") => EngagementSignal.MessageSent,
        ("municipality", DataCategory.ContactStatus, "coordinator") => "contact-attempt",
        ("municipality", DataCategory.ReachSignals, "coordinator") => EngagementSignal.PhoneLost,
        var (source, category, _) => KindFor(source, category),
    };

    private static string KindFor(string source, string category) => (source, category) switch
    {
        ("gp", _) => "medical-certificate",
        ("municipality", _) => "follow-up-note",
        ("nav", DataCategory.CaseStatus) => "case-opened",
        ("nav", DataCategory.ContactStatus) => EngagementSignal.ContactSucceeded,
        ("coordination", DataCategory.ContactStatus) => "escalation-raised",
        _ => throw new ArgumentOutOfRangeException(nameof(source), $"{source}/{category}: no event for it in this test yet"),
    };

    /// <summary>The categories the source's event carries (for the coordinators, one per signal).</summary>
    private static string[] CategoriesOf(Case c) => c.Recipient == "coordinator" ? [c.Category] : CategoriesOf(c.Source, c.Category);

    private static string[] CategoriesOf(string source, string category) => source switch
    {
        "gp" => [DataCategory.WorkCapacity, DataCategory.Diagnosis, DataCategory.MedicalAssessment],
        "municipality" => [DataCategory.ContactStatus, DataCategory.FollowUpNotes],
        _ => [category],

    };

    [Fact]
    public async Task Every_source_recipient_category_and_consent_state_is_delivered_or_withheld_with_exactly_the_allowed_fields()
    {
        // A GP certificate carries nothing for the coordinators, so no event exercises that row.
        var rows = LegalBasisTable.Defaults.Where(r => !(r.Source == "gp" && r.Recipient == "coordinator")).ToList();
        Assert.Equal(16, rows.Count);
        var states = Enum.GetValues<ConsentState>();
        var people = TestPersons.Synthetic(rows.Count * states.Length, seed: 7);
        var cases = rows.SelectMany((r, i) => states.Select((s, j) => new Case(r.Source, r.Recipient, r.Category, s, people[(i * states.Length) + j]))).ToList();

        var failures = new List<string>();
        foreach (var batch in cases.Chunk(10))
        {
            var results = await Task.WhenAll(batch.Select(RunAsync));
            failures.AddRange(results.Where(r => r is not null)!);
        }

        Assert.Empty(failures);
    }

    /// <summary>Runs one case; answers what is wrong, or null.</summary>
    private async Task<string?> RunAsync(Case c)
    {
        var personKey = (await SendAsync(HttpMethod.Post, "/persons/key", HubRoles.Coordinator, Municipality, new JsonObject { ["identifier"] = c.Identifier }))
            .Body.GetProperty("personKey").GetString()!;
        var recipientKind = c.Recipient switch
        {
            "nav" => PartyKind.Nav,
            "municipality" => PartyKind.Municipality,
            _ => PartyKind.Coordination,
        };
        // Oslo follows every person here: only the care team records consent, and the coordinator
        // (working for Oslo) sees only the people Oslo follows.
        await SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Municipality,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = c.Identifier }, ["service"] = "addiction" });
        if (recipientKind == PartyKind.Nav)
        {
            await PostNavEventAsync(c.Identifier, "case-opened", e => e["caseType"] = "arbeidsavklaring");
        }

        await WaitForRoutingAsync(personKey, PartyKind.Municipality);
        await GiveConsentAsync(c);
        await WaitForRoutingAsync(personKey, recipientKind);

        var kind = KindFor(c);
        await SendFromSourceAsync(c, kind);

        var rule = LegalBasisTable.Defaults.Where(r => r.Source == c.Source && r.Recipient == c.Recipient).ToList();
        var present = CategoriesOf(c);
        var expected = present
            .Where(category => rule.FirstOrDefault(r => r.Category == category) is { } r
                && (r.Basis != Basis.Consent || (category == c.Category && c.State == ConsentState.Valid)))
            .ToHashSet();

        // The disclosure log holds a decision per category present, for this recipient.
        var log = await Eventually.WaitForAsync(
            async () => (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/disclosures", HubRoles.Coordinator, Municipality)).Body
                .EnumerateArray().Where(d => d.GetProperty("recipient").GetString() == c.Recipient && d.GetProperty("kind").GetString() == kind).ToList(),
            l => l.Count >= present.Length,
            $"{c}: the decisions in the disclosure log");
        foreach (var category in present)
        {
            var outcome = log.Single(d => d.GetProperty("category").GetString() == category).GetProperty("outcome").GetString();
            if (outcome != (expected.Contains(category) ? "delivered" : "withheld"))
            {
                return $"{c}: {category} was {outcome} in the disclosure log";
            }
        }

        // Each decision in the disclosure log is in the audit log too, as an entry of its own
        // (both read again until they agree: the audit log follows the disclosure log by a message).
        await Eventually.WaitForAsync(
            async () =>
            {
                var decisions = (await SendAsync(HttpMethod.Get, $"/persons/{personKey}/disclosures", HubRoles.Coordinator, Municipality)).Body
                    .EnumerateArray().Select(d => (d.GetProperty("category").GetString(), $"disclosure-{d.GetProperty("outcome").GetString()}")).Order().ToList();
                return (Decisions: decisions, Audited: await AuditedDecisionsAsync(personKey));
            },
            logs => logs.Decisions.Count > 0 && logs.Audited.SequenceEqual(logs.Decisions),
            $"{c}: the audit log to hold each decision of the disclosure log");

        if (recipientKind == PartyKind.Coordination)
        {
            return await CheckReachProfileAsync(c, personKey, kind);
        }

        var (role, party) = recipientKind == PartyKind.Nav ? (HubRoles.NavAdvisor, NavOffice) : (HubRoles.MunicipalCaseworker, Municipality);
        if (expected.Count == 0)
        {
            // Nothing may be shared, so nothing is sent, not even that there was an update.
            var inbox = await InboxAsync(role, party, personKey, kind);
            return inbox.Count == 0 ? null : $"{c}: the recipient got an update with nothing allowed in it";
        }

        var update = (await Eventually.WaitForAsync(() => InboxAsync(role, party, personKey, kind), u => u.Count > 0, $"{c}: the update in the inbox")).Single();
        foreach (var (category, field) in Fields)
        {
            var filled = update.GetProperty(field).ValueKind is not JsonValueKind.Null;
            if (filled != expected.Contains(category))
            {
                return $"{c}: {field} was {(filled ? "received" : "missing")}";
            }
        }

        var shared = update.GetProperty("categories").EnumerateArray().Select(x => x.GetProperty("category").GetString()).ToHashSet();
        return shared.SetEquals(expected) ? null : $"{c}: categories {string.Join(",", shared)} where {string.Join(",", expected)} were allowed";
    }

    /// <summary>The audit log's disclosure entries about the person: category and outcome, in order.</summary>
    private async Task<List<(string?, string)>> AuditedDecisionsAsync(string personKey)
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        var entries = await scope.ServiceProvider.GetRequiredService<IntegrationHub.Audit.Persistence.AuditDbContext>().Entries.AsNoTracking()
            .Where(e => e.PersonKey == personKey && e.Kind.StartsWith("disclosure-"))
            .Select(e => new { e.Resource, e.Kind })
            .ToListAsync();
        return [.. entries.Select(e => ((string?)e.Resource, e.Kind)).Order()];
    }

    /// <summary>What the coordinators got: the signal or the contact on the reach profile, and never a note's text.</summary>
    private async Task<string?> CheckReachProfileAsync(Case c, string personKey, string kind)
    {
        var reach = await Eventually.WaitForAsync(
            async () =>
            {
                // 404 until coordination has heard of the person: the log may be written first.
                using var request = _hub.Request(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.Coordinator, Municipality);
                using var response = await _hub.Client.SendAsync(request);
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            },
            r => r.ValueKind == JsonValueKind.Object
                && (kind is "contact-attempt" or EngagementSignal.ContactSucceeded
                    ? r.GetProperty("lastContactAt").ValueKind == JsonValueKind.String
                    : r.GetProperty("signals").EnumerateArray().Any(s => s.GetProperty("signal").GetString() == kind)),
            $"{c}: the reach profile to show it");
        return reach.GetRawText().Contains(NoteText, StringComparison.Ordinal) ? $"{c}: the note's text reached the coordinators" : null;
    }

    private const string NoteText = "Met at the shelter; wants to be called, not written to.";

    private async Task GiveConsentAsync(Case c)
    {
        if (c.State == ConsentState.None)
        {
            return;
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (from, until) = c.State switch
        {
            ConsentState.Expired => (today.AddDays(-60), today.AddDays(-2)),
            ConsentState.NotYetValid => (today.AddDays(2), today.AddYears(1)),
            _ => (today.AddDays(-1), today.AddYears(1)),
        };
        var consent = (await SendAsync(HttpMethod.Post, "/consents", HubRoles.Coordinator, Municipality, new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = c.Identifier },
            ["purpose"] = "coordinated-follow-up",
            // The person cannot consent for the coordinators (their basis is the task); a consent to NAV must change nothing for them.
            ["recipients"] = ConsentRequests.Recipients([c.Recipient switch { "coordinator" or "nav" => "nav", _ => $"municipality:{Municipality}" }]),
            ["categories"] = new JsonArray(c.Category),
            ["validFrom"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["validUntil"] = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["obtainedVia"] = "phone",
            ["witnessedBy"] = "coord-7",
        })).Body.GetProperty("consentId").GetString();
        if (c.State == ConsentState.Withdrawn)
        {
            await SendAsync(HttpMethod.Post, $"/consents/{consent}/withdraw", HubRoles.Coordinator, Municipality, new JsonObject { ["via"] = "phone" });
        }
    }

    /// <summary>Routing must know the recipient before the update comes; the consent (and its withdrawal) is in force from its answer.</summary>
    private async Task WaitForRoutingAsync(string personKey, PartyKind recipient)
    {
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Services.CreateAsyncScope();
                var routing = scope.ServiceProvider.GetRequiredService<Routing.Persistence.RoutingDbContext>();
                return recipient == PartyKind.Coordination || await routing.CareTeam.AnyAsync(m => m.PersonKey == personKey && m.Kind == recipient);
            },
            ready => ready,
            $"routing to know the {recipient} in the care team");
    }

    private async Task SendFromSourceAsync(Case c, string kind)
    {
        switch (c.Source)
        {
            case "gp":
                var bundle = CertificateExamples.NewFor(c.Identifier);
                using (var request = _hub.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
                    new StringContent(bundle, Encoding.UTF8) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } }))
                using (var response = await _hub.Client.SendAsync(request))
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Created, $"{c}: {await response.Content.ReadAsStringAsync()}");
                }

                break;
            case "municipality":
                await SendAsync(HttpMethod.Post, "/municipal/notes", HubRoles.MunicipalSystem, Municipality, new JsonObject
                {
                    ["noteId"] = Guid.NewGuid().ToString(),
                    ["municipality"] = Municipality,
                    ["caseworker"] = "rus-oslo-0042",
                    ["person"] = new JsonObject { ["identifier"] = c.Identifier },
                    ["recordedAt"] = Instant(DateTimeOffset.UtcNow.AddMinutes(-1)),
                    ["service"] = "addiction",
                    ["contact"] = new JsonObject { ["outcome"] = "reached", ["channel"] = "home-visit" },
                    ["signals"] = new JsonArray("phone-lost"),
                    ["text"] = NoteText,
                });
                break;
            case "coordination":
                // Followed for 40 days without contact: coordination escalates, and tells NAV and the municipality.
                await PostNavEventAsync(c.Identifier, "case-opened", e => e["caseType"] = "arbeidsavklaring", DateTimeOffset.UtcNow.AddDays(-40));
                break;
            case "nav" when kind == EngagementSignal.MessageSent:
                await PostNavEventAsync(c.Identifier, "message-sent", e =>
                {
                    e["messageId"] = "m-1";
                    e["channel"] = "activity-plan-dialogue";
                });
                break;
            case "nav" when kind == "case-opened":
                await PostNavEventAsync(c.Identifier, "case-opened", e => e["caseType"] = "arbeidsavklaring");
                break;
            default:
                await PostNavEventAsync(c.Identifier, "contact-registered", e =>
                {
                    e["channel"] = "phone";
                    e["direction"] = "outbound";
                    e["succeeded"] = true;
                });
                break;
        }
    }

    private async Task PostNavEventAsync(string identifier, string type, Action<JsonObject> extra, DateTimeOffset? occurredAt = null)
    {
        var ev = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["occurredAt"] = Instant(occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-1)),
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["caseId"] = $"AAP-{identifier[..6]}-{identifier[6..]}",
            ["navOffice"] = NavOffice,
            ["advisor"] = "Z990123",
        };
        extra(ev);
        var (status, _) = await SendAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", ev);
        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    private async Task<List<JsonElement>> InboxAsync(string role, string party, string personKey, string kind)
    {
        var (_, inbox) = await SendAsync(HttpMethod.Get, $"/inbox?personKey={personKey}", role, party);
        return inbox.GetProperty("persons").EnumerateArray()
            .SelectMany(p => p.GetProperty("updates").EnumerateArray())
            .Where(u => u.GetProperty("kind").GetString() == kind)
            .ToList();
    }

    private static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null)
    {
        using var request = _hub.Request(method, path, role, party, body is null ? null : JsonContent.Create(body));
        using var response = await _hub.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 400, $"{method} {path}: {(int)response.StatusCode} {text}");
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
