using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// Every endpoint and page of the running hub, from its endpoint data source, called by every role
/// for a person its unit follows, for a person only another unit of the same kind follows, and
/// without a token. Each answer must be the one the matrix states, and every refused look at a
/// person must be in the audit log. An endpoint without a row fails the test.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private const string Oslo = "0301";
    private const string Bergen = "4601";
    private const string OwnOffice = "0314";
    private const string OtherOffice = "1201";
    private const string OwnGp = "90128";
    private const string OtherGp = "12345";

    private static readonly string[] PeopleRoles = [HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker];

    /// <summary>Each role as its own unit: the units that follow the own person.</summary>
    private static readonly Dictionary<string, string?> OwnUnit = new()
    {
        [HubRoles.GpSystem] = OwnGp,
        [HubRoles.NavSystem] = "nav",
        [HubRoles.MunicipalSystem] = Oslo,
        [HubRoles.NavAdvisor] = OwnOffice,
        [HubRoles.MunicipalCaseworker] = Oslo,
        [HubRoles.Coordinator] = Oslo,
        [HubRoles.HubAdmin] = null,
    };

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
    private LoopbackKrr _krr = null!;
    private HubTestServer _hub = null!;
    private World _world = null!;
    private HttpClient _client = null!;

    public enum Case
    {
        /// <summary>A person the caller's unit follows.</summary>
        Own,

        /// <summary>A person followed only by another unit of the same kind.</summary>
        Other,

        /// <summary>No token at all.</summary>
        Anonymous,
    }

    /// <summary>Everything the calls need: two people and what each unit has of them.</summary>
    private sealed record Person(string Identifier, string Key, Guid Certificate, Guid Consent, Guid Escalation, Guid NavUpdate, Guid MunicipalUpdate, Guid AccessRequest, Guid ChangeRequest);

    private sealed record World(Person Own, Person Other, string Unfollowed, string EndedByOslo)
    {
        public Person For(Case c) => c == Case.Other ? Other : Own;
    }

    /// <param name="Expect">The status for a role (null: no token) and case; a page may answer one of several.</param>
    /// <param name="Path">The path to call, with the case's identifiers filled in.</param>
    /// <param name="Body">The JSON body of a POST or PUT, if any.</param>
    /// <param name="RefusalAudited">Whether a refused look by an allowed role at the other person leaves a refused entry in the audit log.</param>
    private sealed record Row(
        string Method,
        string Pattern,
        Func<string?, Case, int[]> Expect,
        Func<World, string?, Case, string> Path,
        Func<World, string?, Case, JsonNode?>? Body = null,
        bool RefusalAudited = false);

    public async Task InitializeAsync()
    {
        _krr = await LoopbackKrr.StartAsync();
        _hub = await HubTestServer.StartAsync(_clock, $"--Coordination:Krr:BaseUrl={_krr.BaseUrl}", "--Hub:PersonKeyLookups:PermitLimit=1000");
        // Redirects are answers too (a page sends a caller without a token to sign in).
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _hub.Client.BaseAddress };
        _world = await BuildWorldAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _hub.DisposeAsync();
        await _krr.DisposeAsync();
    }

    private string? Token(string? role) => role is null ? null : HubTokens.For(_hub.DataDirectory, role, OwnUnit[role], $"matrix-{role}");

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, string? role, JsonNode? body = null, string? party = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", party is null ? Token(role) : HubTokens.For(_hub.DataDirectory, role, party, $"setup-{role}"));
        }

        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> SetupAsync(HttpMethod method, string path, string role, string? party, JsonNode? body = null, string? contentType = null)
    {
        var (status, text) = await SendAsync(method, path, role, body, party, contentType);
        Assert.True((int)status < 300, $"set-up {method} {path}: {(int)status} {text}");
        return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    private Task NavEventAsync(string identifier, string office, string type, Action<JsonObject> extra) =>
        SetupAsync(HttpMethod.Post, "/nav/events", HubRoles.NavSystem, "nav", new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["occurredAt"] = Instant(_clock.GetUtcNow().AddDays(-2)),
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["caseId"] = $"AAP-{identifier}",
            ["navOffice"] = office,
            ["advisor"] = "Z990123",
        }.Also(extra));

    private static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Person> FollowedPersonAsync(string identifier, string office, string municipality, string gp)
    {
        _krr.Answer(identifier, LoopbackKrr.Reserved);
        await NavEventAsync(identifier, office, "case-opened", e => e["caseType"] = "arbeidsavklaring");
        await SetupAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, municipality,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = identifier }, ["service"] = "addiction" });
        var key = (await SetupAsync(HttpMethod.Post, "/persons/key", HubRoles.MunicipalCaseworker, municipality, new JsonObject { ["identifier"] = identifier }))
            .GetProperty("personKey").GetString()!;
        await Eventually.WaitForAsync(
            () => QueryAsync<Routing.Persistence.RoutingDbContext, int>(r => r.CareTeam.CountAsync(m => m.PersonKey == key)),
            n => n == 2,
            "NAV and the municipality in the care team");
        var consent = (await SetupAsync(HttpMethod.Post, "/consents", HubRoles.MunicipalCaseworker, municipality,
                ConsentRequests.GivenInPerson(identifier, [$"municipality:{municipality}"], ["work-capacity"]).Also(c =>
                {
                    c["validFrom"] = "2026-05-01";
                    c["validUntil"] = "2027-05-01";
                })))
            .GetProperty("consentId").GetGuid();
        var bundle = CertificateExamples.NewFor(identifier, _clock.GetUtcNow().AddDays(-1)).Replace($"\"{OwnGp}\"", $"\"{gp}\"", StringComparison.Ordinal);
        var certificateId = await PostBundleAsync(bundle, gp);
        var escalation = await Eventually.WaitForAsync(
            () => QueryAsync<Coordination.Persistence.CoordinationDbContext, Guid>(c => c.Escalations.Where(e => e.PersonKey == key).Select(e => e.Id).FirstOrDefaultAsync()),
            id => id != Guid.Empty,
            "the escalation of a person reserved in KRR");
        var navUpdate = await Eventually.WaitForAsync(
            () => QueryAsync<NavCases.Persistence.NavCasesDbContext, Guid>(n => n.DeliveredUpdates.Where(u => u.PersonKey == key && u.Visible).Select(u => u.Id).FirstOrDefaultAsync()),
            id => id != Guid.Empty,
            "an update in NAV's inbox");
        var municipalUpdate = await Eventually.WaitForAsync(
            () => QueryAsync<MunicipalFollowUp.Persistence.MunicipalDbContext, Guid>(m => m.DeliveredUpdates.Where(u => u.PersonKey == key && u.Visible).Select(u => u.Id).FirstOrDefaultAsync()),
            id => id != Guid.Empty,
            "an update in the municipality's inbox");
        var accessRequest = (await SetupAsync(HttpMethod.Post, $"/persons/{key}/access-requests", HubRoles.MunicipalCaseworker, municipality, new JsonObject { ["receivedVia"] = "letter" }))
            .GetProperty("requestId").GetGuid();
        await Eventually.WaitForAsync(
            () => QueryAsync<Coordination.Persistence.CoordinationDbContext, int>(c => c.AccessReportSections.CountAsync(r => r.RequestId == accessRequest)),
            n => n == Coordination.Domain.AccessRequests.HoldingModules.Count,
            "every module's part of the access request's answer");
        var changeRequest = (await SetupAsync(HttpMethod.Post, $"/persons/{key}/change-requests", HubRoles.MunicipalCaseworker, municipality, ChangeRequestBody(municipality)))
            .GetProperty("requestId").GetGuid();
        return new Person(identifier, key, certificateId, consent, escalation, navUpdate, municipalUpdate, accessRequest, changeRequest);
    }

    private static JsonObject ChangeRequestBody(string municipality) => new()
    {
        ["kind"] = "correction",
        ["concerns"] = "Kontaktforsøket 2. desember står som ikke nådd; hun ble nådd.",
        ["owner"] = new JsonObject { ["party"] = "municipality", ["unit"] = municipality },
        ["receivedVia"] = "phone",
    };

    private async Task<Guid> PostBundleAsync(string bundle, string gp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/fhir/Bundle", UriKind.Relative))
        {
            Content = new StringContent(bundle, Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubTokens.For(_hub.DataDirectory, HubRoles.GpSystem, gp, "setup-gp"));
        using var response = await _hub.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.ToString().Split('/')[^1]);
    }

    private async Task<World> BuildWorldAsync()
    {
        var people = TestPersons.Synthetic(4, seed: 1616);
        var own = await FollowedPersonAsync(people[0], OwnOffice, Oslo, OwnGp);
        var other = await FollowedPersonAsync(people[1], OtherOffice, Bergen, OtherGp);
        // Oslo follows this one only to end it: the end of a follow-up is the matrix's one write that cannot be repeated.
        await SetupAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Oslo,
            new JsonObject { ["person"] = new JsonObject { ["identifier"] = people[3] }, ["service"] = "addiction" });
        var ended = (await SetupAsync(HttpMethod.Post, "/persons/key", HubRoles.MunicipalCaseworker, Oslo, new JsonObject { ["identifier"] = people[3] }))
            .GetProperty("personKey").GetString()!;
        return new World(own, other, people[2], ended);
    }

    private async Task<T> QueryAsync<TContext, T>(Func<TContext, Task<T>> query)
        where TContext : DbContext
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    // Expectations: roles allowed, and what an allowed role gets for its own person and the other one.
    private static Func<string?, Case, int[]> Allowed(string[] roles, int own, int other) => (role, c) =>
        role is null ? [401]
        : !roles.Contains(role) ? [403]
        : c == Case.Own ? [own] : [other];

    private static Func<string?, Case, int[]> Anyone(int status) => (_, _) => [status];

    /// <summary>A page: no token goes to sign-in, a role without the page to "no access", a refused look at a person is the API's 403 or 404.</summary>
    private static Func<string?, Case, int[]> Page(string[] roles, bool personal) => (role, c) =>
        role is null || !roles.Contains(role) ? [302]
        : c == Case.Own || !personal ? [200]
        : [403, 404];

    private static string Key(World w, Case c) => w.For(c).Key;

    private static Row[] Rows() =>
    [
        new("GET", "/health/live", Anyone(200), (_, _, _) => "/health/live"),
        new("GET", "/health/ready", Anyone(200), (_, _, _) => "/health/ready"),
        new("GET", "/openapi/{documentName}.json", Anyone(200), (_, _, _) => "/openapi/v1.json"),
        new("GET", "/fhir/metadata", Anyone(200), (_, _, _) => "/fhir/metadata"),
        new("GET", "/fhir/{type}/{id}", Anyone(200), (_, _, _) => "/fhir/StructureDefinition/certificate-bundle"),
        new("GET", "/", Anyone(302), (_, _, _) => "/"),
        new("GET", "/sider/site.css", Anyone(200), (_, _, _) => "/sider/site.css"),
        new("GET", "/me", (role, _) => role is null ? [401] : [200], (_, _, _) => "/me"),
        new("POST", "/persons/key", Allowed(PeopleRoles, 200, 200), (_, _, _) => "/persons/key",
            (w, _, c) => new JsonObject { ["identifier"] = w.For(c).Identifier }),
        new("GET", "/admin/dead-letters/", Allowed([HubRoles.HubAdmin], 200, 200), (_, _, _) => "/admin/dead-letters"),
        new("POST", "/admin/dead-letters/{id:guid}/replay", Allowed([HubRoles.HubAdmin], 404, 404), (_, _, _) => $"/admin/dead-letters/{Guid.NewGuid()}/replay"),
        new("GET", "/admin/runtime", Allowed([HubRoles.HubAdmin], 200, 200), (_, _, _) => "/admin/runtime"),
        new("GET", "/admin/audit/verify", Allowed([HubRoles.HubAdmin], 200, 200), (_, _, _) => "/admin/audit/verify"),

        new("POST", "/fhir/Bundle", Allowed([HubRoles.GpSystem], 201, 201), (_, _, _) => "/fhir/Bundle",
            (w, _, c) => JsonNode.Parse(CertificateExamples.NewFor(w.For(c).Identifier, new DateTimeOffset(2026, 5, 20 + (int)c, 9, 0, 0, TimeSpan.Zero)))),
        new("GET", "/fhir/Bundle/{id}", Allowed([HubRoles.GpSystem], 200, 403), (w, _, c) => $"/fhir/Bundle/{w.For(c).Certificate}", RefusalAudited: true),
        new("POST", "/nav/events", Allowed([HubRoles.NavSystem], 202, 202), (_, _, _) => "/nav/events",
            (w, _, c) => new JsonObject
            {
                ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "message-sent", ["occurredAt"] = "2026-05-30T10:00:00+02:00",
                ["person"] = new JsonObject { ["identifier"] = w.For(c).Identifier }, ["caseId"] = $"AAP-{w.For(c).Identifier}",
                ["navOffice"] = c == Case.Other ? OtherOffice : OwnOffice, ["advisor"] = "Z990123", ["messageId"] = Guid.NewGuid().ToString(), ["channel"] = "sms",
            }),
        // A note counts only for a person the municipality follows: about the other one it is refused, and nothing changes.
        new("POST", "/municipal/notes", Allowed([HubRoles.MunicipalSystem], 202, 409), (_, _, _) => "/municipal/notes",
            (w, _, c) => new JsonObject
            {
                ["noteId"] = Guid.NewGuid().ToString(), ["municipality"] = Oslo, ["caseworker"] = "rus-oslo-1",
                ["person"] = new JsonObject { ["identifier"] = w.For(c).Identifier }, ["recordedAt"] = "2026-05-30T10:00:00+02:00", ["service"] = "addiction",
                ["contact"] = new JsonObject { ["outcome"] = "reached", ["channel"] = "phone" },
            }, RefusalAudited: true),
        // Registering a follow-up is how a municipality joins; it never changes another unit's membership.
        // The own person is taken over by the calling caseworker (201); the other is registered anew (201).
        new("POST", "/municipal/persons", Allowed([HubRoles.MunicipalCaseworker], 201, 201), (_, _, _) => "/municipal/persons",
            (w, _, c) => new JsonObject { ["person"] = new JsonObject { ["identifier"] = c == Case.Other ? w.Unfollowed : w.Own.Identifier }, ["service"] = "addiction" }),
        // Ending is the caller's own municipality's; for a person it does not follow nothing happens (alreadyEnded).
        new("POST", "/municipal/persons/{personKey}/end", Allowed([HubRoles.MunicipalCaseworker, HubRoles.MunicipalSystem], 200, 200),
            (w, _, c) => $"/municipal/persons/{(c == Case.Other ? w.Other.Key : w.EndedByOslo)}/end", (_, _, _) => new JsonObject()),

        new("GET", "/persons/{personKey}/disclosures", Allowed(PeopleRoles, 200, 403), (w, _, c) => $"/persons/{Key(w, c)}/disclosures", RefusalAudited: true),
        new("GET", "/persons/{personKey}/disclosures/print", Allowed(PeopleRoles, 200, 403), (w, _, c) => $"/persons/{Key(w, c)}/disclosures/print", RefusalAudited: true),
        new("GET", "/persons/{personKey}/reach", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/persons/{Key(w, c)}/reach", RefusalAudited: true),
        new("GET", "/persons/{personKey}/identity", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/persons/{Key(w, c)}/identity", RefusalAudited: true),
        // Several people at once: those the caller's unit does not follow are left out of the answer (and the look audited).
        new("POST", "/persons/identities", Allowed(PeopleRoles, 200, 200), (_, _, _) => "/persons/identities",
            (w, _, c) => new JsonObject { ["personKeys"] = new JsonArray(Key(w, c)) }),
        new("POST", "/persons/{personKey}/identifier", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/persons/{Key(w, c)}/identifier",
            (_, _, _) => new JsonObject { ["purpose"] = "Ringe NAV Kontaktsenter om saken" }, RefusalAudited: true),
        new("POST", "/persons/{personKey}/access-requests", Allowed(PeopleRoles, 201, 404), (w, _, c) => $"/persons/{Key(w, c)}/access-requests",
            (_, _, _) => new JsonObject { ["receivedVia"] = "in-person" }, RefusalAudited: true),
        new("GET", "/persons/{personKey}/access-requests", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/persons/{Key(w, c)}/access-requests", RefusalAudited: true),
        new("GET", "/access-requests/{requestId:guid}", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/access-requests/{w.For(c).AccessRequest}", RefusalAudited: true),
        new("POST", "/access-requests/{requestId:guid}/handed-over", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/access-requests/{w.For(c).AccessRequest}/handed-over",
            (_, _, _) => new JsonObject { ["via"] = "in-person" }, RefusalAudited: true),
        new("POST", "/persons/{personKey}/change-requests", Allowed(PeopleRoles, 201, 404), (w, _, c) => $"/persons/{Key(w, c)}/change-requests",
            (_, _, _) => ChangeRequestBody(Oslo), RefusalAudited: true),
        new("GET", "/persons/{personKey}/change-requests", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/persons/{Key(w, c)}/change-requests", RefusalAudited: true),
        new("GET", "/change-requests", Allowed([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker], 200, 200), (_, _, _) => "/change-requests"),
        new("GET", "/coordination/rights-requests", Allowed([HubRoles.Coordinator], 200, 200), (_, _, _) => "/coordination/rights-requests"),
        // Closed by the first role that may; after it, the request answers that it is closed.
        new("POST", "/change-requests/{requestId:guid}/resolve",
            (role, c) => Allowed(PeopleRoles, 200, 404)(role, c) is [200] ? [200, 409] : Allowed(PeopleRoles, 200, 404)(role, c),
            (w, _, c) => $"/change-requests/{w.For(c).ChangeRequest}/resolve",
            (_, _, _) => new JsonObject { ["outcome"] = "done", ["note"] = "Rettet i journalen." }, RefusalAudited: true),
        new("PUT", "/persons/{personKey}/channels", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/persons/{Key(w, c)}/channels",
            (_, _, _) => new JsonObject { ["usable"] = new JsonArray("phone", "home-visit"), ["preferred"] = "phone" }, RefusalAudited: true),
        // The timeline is the inbox's: a coordinator has none, and is refused (and audited) like an outsider.
        new("GET", "/persons/{personKey}/timeline",
            (role, c) => role == HubRoles.Coordinator ? [404] : Allowed([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker, HubRoles.Coordinator], 200, 404)(role, c),
            (w, _, c) => $"/persons/{Key(w, c)}/timeline", RefusalAudited: true),
        new("GET", "/inbox", Allowed([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker], 200, 200), (w, _, c) => $"/inbox?personKey={Key(w, c)}", RefusalAudited: true),
        new("GET", "/inbox/{updateId:guid}/deliveries", Allowed([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker], 200, 404),
            (w, role, c) => $"/inbox/{(role == HubRoles.MunicipalCaseworker ? w.For(c).MunicipalUpdate : w.For(c).NavUpdate)}/deliveries", RefusalAudited: true),
        new("POST", "/inbox/{updateId:guid}/ack", Allowed([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker], 200, 404),
            (w, role, c) => $"/inbox/{(role == HubRoles.MunicipalCaseworker ? w.For(c).MunicipalUpdate : w.For(c).NavUpdate)}/ack", (_, _, _) => new JsonObject(), RefusalAudited: true),

        new("GET", "/persons/{personKey}/consents", Allowed(PeopleRoles, 200, 403), (w, _, c) => $"/persons/{Key(w, c)}/consents", RefusalAudited: true),
        new("POST", "/consents", Allowed(PeopleRoles, 201, 403), (_, _, _) => "/consents",
            (w, _, c) => ConsentRequests.GivenInPerson(w.For(c).Identifier, ["nav"], ["contact-status"]), RefusalAudited: true),
        new("POST", "/consents/{consentId:guid}/withdraw", Allowed(PeopleRoles, 200, 404), (w, _, c) => $"/consents/{w.For(c).Consent}/withdraw",
            (_, _, _) => new JsonObject { ["via"] = "phone" }, RefusalAudited: true),
        new("GET", "/coordination/worklist", Allowed([HubRoles.Coordinator], 200, 200), (_, _, _) => "/coordination/worklist"),
        new("GET", "/coordination/escalations/{escalationId:guid}/", Allowed([HubRoles.Coordinator], 200, 404), (w, _, c) => $"/coordination/escalations/{w.For(c).Escalation}", RefusalAudited: true),
        new("POST", "/coordination/escalations/{escalationId:guid}/acknowledge", Allowed([HubRoles.Coordinator], 200, 404),
            (w, _, c) => $"/coordination/escalations/{w.For(c).Escalation}/acknowledge", (_, _, _) => new JsonObject(), RefusalAudited: true),
        new("POST", "/coordination/escalations/{escalationId:guid}/contact-attempts", Allowed([HubRoles.Coordinator], 200, 404),
            (w, _, c) => $"/coordination/escalations/{w.For(c).Escalation}/contact-attempts",
            (_, _, _) => new JsonObject { ["channel"] = "phone", ["outcome"] = "not-reached" }, RefusalAudited: true),
        // Last of the escalation's rows: once resolved, nothing more is recorded on it.
        new("POST", "/coordination/escalations/{escalationId:guid}/resolve", Allowed([HubRoles.Coordinator], 200, 404),
            (w, _, c) => $"/coordination/escalations/{w.For(c).Escalation}/resolve",
            (_, _, _) => new JsonObject { ["resolution"] = "handed-to-municipal-contact", ["note"] = "Kommunens kontaktperson følger opp." }, RefusalAudited: true),

        new("GET", "/sider/logg-inn", Anyone(200), (_, _, _) => "/sider/logg-inn"),
        new("GET", "/sider/ikke-tilgang", Anyone(403), (_, _, _) => "/sider/ikke-tilgang"),
        new("GET", "/sider", Anyone(302), (_, _, _) => "/sider"),
        new("GET", "/sider/finn-person", Page(PeopleRoles, personal: false), (_, _, _) => "/sider/finn-person"),
        new("GET", "/sider/innboks", Page([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker], personal: false), (_, _, _) => "/sider/innboks"),
        new("GET", "/sider/arbeidsliste", Page([HubRoles.Coordinator], personal: false), (_, _, _) => "/sider/arbeidsliste"),
        new("GET", "/sider/eskaleringer/{escalationId:guid}", Page([HubRoles.Coordinator], personal: true), (w, _, c) => $"/sider/eskaleringer/{w.For(c).Escalation}"),
        // The person's menu: links to the other pages, and the name only when the identity API allows it (its own row above).
        new("GET", "/sider/personer/{personKey}", Page(PeopleRoles, personal: false), (w, _, c) => $"/sider/personer/{Key(w, c)}"),
        new("GET", "/sider/personer/{personKey}/kontakt", Page(PeopleRoles, personal: true), (w, _, c) => $"/sider/personer/{Key(w, c)}/kontakt"),
        new("GET", "/sider/personer/{personKey}/samtykke", Page(PeopleRoles, personal: true), (w, _, c) => $"/sider/personer/{Key(w, c)}/samtykke"),
        new("GET", "/sider/personer/{personKey}/utlevert", Page(PeopleRoles, personal: true), (w, _, c) => $"/sider/personer/{Key(w, c)}/utlevert"),
        new("GET", "/sider/personer/{personKey}/innsyn", Page(PeopleRoles, personal: true), (w, _, c) => $"/sider/personer/{Key(w, c)}/innsyn"),
        new("GET", "/sider/personer/{personKey}/retting", Page(PeopleRoles, personal: true), (w, _, c) => $"/sider/personer/{Key(w, c)}/retting"),
        new("GET", "/sider/innsyn/{requestId:guid}", Page(PeopleRoles, personal: true), (w, _, c) => $"/sider/innsyn/{w.For(c).AccessRequest}"),
        new("GET", "/sider/personer/{personKey}/tidslinje", Page([HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker], personal: true), (w, _, c) => $"/sider/personer/{Key(w, c)}/tidslinje"),
    ];

    /// <summary>
    /// A few hundred hostile bodies to every POST and PUT, sent by a role that may call it for its own
    /// person: malformed bytes and shapes the guard must refuse, and each field of a valid body
    /// replaced by null, a wrong type, a huge number, a null inside an array, or removed. Never a 500;
    /// a refusal is problem details (an OperationOutcome under /fhir); and a refused note, NAV event or
    /// certificate is not stored, not even in part.
    /// </summary>
    [Fact]
    public async Task Hostile_bodies_to_every_post_and_put_get_a_clear_4xx_never_a_500_and_nothing_half_stored()
    {
        var failures = new List<string>();
        var sent = 0;
        var refusedIds = new List<(string Endpoint, string Id)>();
        foreach (var row in Rows().Where(r => r.Method is "POST" or "PUT" && r.Body is not null))
        {
            var role = HubRoles.All.First(r => row.Expect(r, Case.Own)[0] is >= 200 and < 300);
            var path = row.Path(_world, role, Case.Own);
            var fhir = row.Pattern.StartsWith("/fhir", StringComparison.Ordinal);
            var contentType = fhir ? "application/fhir+json" : "application/json";
            var valid = row.Body!(_world, role, Case.Own)!;
            var readsBody = valid is JsonObject { Count: > 0 };

            foreach (var (name, bytes, type, mustRefuse) in MalformedBodies(valid, contentType))
            {
                var (status, mediaType, _) = await SendRawAsync(row.Method, path, role, bytes, type);
                sent++;
                Check(failures, $"{row.Method} {row.Pattern} {name}", status, mediaType, fhir, mustRefuse && (readsBody || name is not ("null" or "a number too large for any type" or "an array of null")));
            }

            foreach (var (name, variant) in Mutations(valid).Take(fhir ? 60 : 150))
            {
                var id = FreshIds(variant);
                var (status, mediaType, _) = await SendRawAsync(row.Method, path, role, Encoding.UTF8.GetBytes(variant.ToJsonString()), contentType);
                sent++;
                Check(failures, $"{row.Method} {row.Pattern} {name}", status, mediaType, fhir, mustRefuse: false);
                if (status >= 400 && id is not null)
                {
                    refusedIds.Add((row.Pattern, id));
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile bodies answered wrongly:\n" + string.Join('\n', failures.Take(60)));
        Assert.True(sent >= 300, $"only {sent} hostile bodies sent");

        // Refused means not stored: no note, NAV event or certificate of a refused body exists.
        var notes = await QueryAsync<MunicipalFollowUp.Persistence.MunicipalDbContext, List<string>>(async m => (await m.Notes.Select(n => n.NoteId).ToListAsync()).Select(g => g.ToString()).ToList());
        var events = await QueryAsync<NavCases.Persistence.NavCasesDbContext, List<string>>(async n => (await n.Events.Select(e => e.EventId).ToListAsync()).Select(g => g.ToString()).ToList());
        var bundles = await QueryAsync<GpCertificates.Persistence.CertificatesDbContext, List<string>>(c => c.Certificates.Select(x => x.IdentifierValue).ToListAsync());
        var stored = notes.Concat(events).Concat(bundles).ToHashSet(StringComparer.Ordinal);
        var halfStored = refusedIds.Where(r => stored.Contains(r.Id)).ToList();
        Assert.True(halfStored.Count == 0, "Stored although refused:\n" + string.Join('\n', halfStored));
        Assert.NotEmpty(refusedIds);
    }

    private static void Check(List<string> failures, string what, int status, string? mediaType, bool fhir, bool mustRefuse)
    {
        if (status >= 500)
        {
            failures.Add($"{what}: {status}");
        }
        else if (mustRefuse && status is not (400 or 413 or 415 or 422))
        {
            failures.Add($"{what}: {status}, expected 400, 413, 415 or 422");
        }
        else if (status >= 400 && status != 404 && status != 409 && mediaType != (fhir ? "application/fhir+json" : "application/problem+json"))
        {
            failures.Add($"{what}: {status} as {mediaType ?? "no content type"}, not {(fhir ? "an OperationOutcome" : "problem details")}");
        }
    }

    private async Task<(int Status, string? MediaType, string Text)> SendRawAsync(string method, string path, string role, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        // As a careful client uploads a large body: the hub may refuse it before it is sent.
        request.Headers.ExpectContinue = body.Length > 64 * 1024;
        using var response = await _client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Bodies no JSON reader should accept, and shapes no endpoint takes; the last flag: it must be refused.</summary>
    private static IEnumerable<(string Name, byte[] Bytes, string ContentType, bool MustRefuse)> MalformedBodies(JsonNode valid, string contentType)
    {
        var json = valid is JsonObject { Count: > 0 } ? valid.ToJsonString() : "{\"note\":\"text\"}";
        var text = Encoding.UTF8.GetBytes(json);
        var quote = Array.IndexOf(text, (byte)'"', Array.IndexOf(text, (byte)':') + 1);
        var invalidUtf8 = text.Take(quote + 1).Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE }).Concat(text.Skip(quote + 1)).ToArray();
        var firstKey = json[1..json.IndexOf(':', StringComparison.Ordinal)];
        yield return ("invalid UTF-8 in a string", invalidUtf8, contentType, true);
        yield return ("a 10 MB body", Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 10 * 1024 * 1024) + "\"}"), contentType, true);
        yield return ("100,000-deep nesting", Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000)), contentType, true);
        yield return ("a duplicate key", Encoding.UTF8.GetBytes("{" + firstKey + ":null," + json[1..]), contentType, true);
        yield return ("truncated JSON", text[..(text.Length / 2)], contentType, true);
        yield return ("null", "null"u8.ToArray(), contentType, true);
        yield return ("an array of null", "[null]"u8.ToArray(), contentType, true);
        yield return ("a number too large for any type", "1e999999"u8.ToArray(), contentType, true);
        yield return ("not JSON at all", "person=12039140045"u8.ToArray(), "application/x-www-form-urlencoded", true);
    }

    /// <summary>Each field of the valid body (to a depth of six) replaced by something it must not be, or removed.</summary>
    private static IEnumerable<(string Name, JsonNode Body)> Mutations(JsonNode valid)
    {
        JsonNode?[] replacements =
        [
            null, JsonNode.Parse("1e400"), JsonNode.Parse("123456789012345678901234567890"), JsonValue.Create(-1), JsonValue.Create(true), JsonValue.Create(string.Empty),
            JsonValue.Create(new string('9', 5000)), new JsonArray(), new JsonArray((JsonNode?)null), new JsonObject(), JsonValue.Create("\u0000"),
            JsonValue.Create("2026-13-45T99:99:99+25:00"),
        ];
        foreach (var path in Paths(valid, string.Empty, 0))
        {
            for (var i = 0; i < replacements.Length; i++)
            {
                var copy = valid.DeepClone();
                Replace(copy, path, replacements[i]?.DeepClone(), remove: false);
                var shown = replacements[i]?.ToJsonString() ?? "null";
                yield return ($"{path} = {(shown.Length > 40 ? shown[..40] + "…" : shown)}", copy);
            }

            var without = valid.DeepClone();
            Replace(without, path, null, remove: true);
            yield return ($"{path} removed", without);
        }
    }

    private static IEnumerable<string> Paths(JsonNode? node, string prefix, int depth)
    {
        if (depth > 6)
        {
            yield break;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    yield return $"{prefix}/{key}";
                    foreach (var inner in Paths(value, $"{prefix}/{key}", depth + 1))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return $"{prefix}/{i}";
                    foreach (var inner in Paths(array[i], $"{prefix}/{i}", depth + 1))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value, bool remove)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : parent[part]!;
        }

        var last = parts[^1];
        if (parent is JsonArray array)
        {
            var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            if (remove)
            {
                array.RemoveAt(index);
            }
            else
            {
                array[index] = value;
            }
        }
        else if (remove)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = value;
        }
    }

    /// <summary>Gives the body new ids (note, event, Bundle identifier) so a stored one can be found; answers the id.</summary>
    private static string? FreshIds(JsonNode body)
    {
        if (body is not JsonObject obj)
        {
            return null;
        }

        foreach (var key in new[] { "noteId", "eventId" })
        {
            if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && Guid.TryParse(text, out _))
            {
                var id = Guid.NewGuid().ToString();
                obj[key] = id;
                return id;
            }
        }

        if (obj["resourceType"]?.GetValueKind() == JsonValueKind.String && obj["identifier"] is JsonObject identifier
            && identifier["value"] is JsonValue bundleId && bundleId.TryGetValue<string>(out var current) && current.StartsWith("urn:uuid:", StringComparison.Ordinal))
        {
            var id = $"urn:uuid:{Guid.NewGuid()}";
            identifier["value"] = id;
            return id;
        }

        return null;
    }

    /// <summary>The routes the running hub serves: each endpoint's pattern and methods (a page answers GET and POST).</summary>
    private List<(string Method, string Pattern)> ServedEndpoints()
    {
        var served = new List<(string, string)>();
        foreach (var endpoint in _hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            served.AddRange(methods.Select(m => (m, pattern)));
        }

        return served.Distinct().ToList();
    }

    [Fact]
    public async Task Every_endpoint_and_page_answers_each_role_only_for_its_own_people_and_audits_every_refused_look()
    {
        var rows = Rows();
        var known = rows.Select(r => (r.Method, r.Pattern)).ToHashSet();
        // Razor pages answer POST too (their forms); the forms call the same API the matrix covers.
        var missing = ServedEndpoints().Where(e => !known.Contains(e) && !(e.Method == "POST" && e.Pattern.StartsWith("/sider", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the authorisation matrix:\n" + string.Join('\n', missing.Select(m => $"{m.Method} {m.Pattern}")));

        var failures = new List<string>();
        var refusedLooks = new Dictionary<string, int>();
        var calls = 0;
        foreach (var row in rows)
        {
            foreach (var role in HubRoles.All.Cast<string?>().Append(null))
            {
                foreach (var c in role is null ? [Case.Own] : new[] { Case.Own, Case.Other })
                {
                    var path = row.Path(_world, role, c);
                    var body = row.Body?.Invoke(_world, role, c);
                    var (status, text) = await SendAsync(new HttpMethod(row.Method), path, role, body, contentType: row.Pattern == "/fhir/Bundle" ? "application/fhir+json" : null);
                    calls++;
                    var expected = row.Expect(role, role is null ? Case.Anonymous : c);
                    if (!expected.Contains((int)status))
                    {
                        failures.Add($"{row.Method} {path} as {role ?? "no token"} ({c}): {(int)status}, expected {string.Join(" or ", expected)}: {Truncate(text)}");
                    }

                    if (row.RefusalAudited && role is not null && c == Case.Other && row.Expect(role, Case.Own)[0] is not (401 or 403))
                    {
                        refusedLooks[role] = refusedLooks.GetValueOrDefault(role) + 1;
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls answered otherwise than the matrix says:\n" + string.Join('\n', failures));

        // Every refused look at the other person is in the audit log, under the role that tried.
        Assert.Equal(PeopleRoles.Order(), refusedLooks.Keys.Where(PeopleRoles.Contains).Order());
        var otherKey = _world.Other.Key;
        var audited = await Eventually.WaitForAsync(
            () => QueryAsync<AuditDbContext, Dictionary<string, int>>(async a => (await a.Entries.AsNoTracking()
                    .Where(e => e.PersonKey == otherKey && !e.Granted && e.ActorUserId.StartsWith("matrix-"))
                    .Select(e => e.ActorRole).ToListAsync())
                .GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count())),
            found => refusedLooks.All(r => found.GetValueOrDefault(r.Key) >= r.Value),
            "every refused look at the other person in the audit log");
        Assert.All(refusedLooks, r => Assert.True(audited.GetValueOrDefault(r.Key) >= r.Value, $"{r.Key}: {audited.GetValueOrDefault(r.Key)} refused looks audited, {r.Value} made"));
        Assert.DoesNotContain(HubRoles.HubAdmin, audited.Keys);
    }

    private static string Truncate(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
