using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Coordination.Tests;

/// <summary>Staff see people by name and birth date, coordinators see how to reach them, and the full identifier only by an audited step.</summary>
public sealed class PersonDetailsTests : IAsyncLifetime
{
    private const string Mobile = "+4791234567";
    private const string Bergen = "4601";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LoopbackKrr _krr = null!;
    private CoordinationHub _hub = null!;

    public async Task InitializeAsync()
    {
        _krr = await LoopbackKrr.StartAsync();
        _hub = new CoordinationHub(await HubTestServer.StartAsync(_clock, $"--Coordination:Krr:BaseUrl={_krr.BaseUrl}"), _clock);
    }

    public async Task DisposeAsync()
    {
        await _hub.Server.DisposeAsync();
        await _krr.DisposeAsync();
    }

    [Fact]
    public async Task The_worklist_shows_the_person_by_name_with_the_phone_number_from_KRR_and_the_municipal_contact()
    {
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Normal, Mobile);
        var personKey = await _hub.PersonKeyAsync();
        await _hub.NavEventAsync("case-opened", _hub.Now.AddDays(-40), e =>
        {
            e["caseType"] = "arbeidsavklaring";
            e["person"]!["name"] = new JsonObject { ["given"] = "Kari", ["family"] = "Nordmann" };
        });
        await RegisterInOsloAsync(CoordinationHub.Kari, name: null);
        await _hub.WaitForEscalationAsync(personKey);
        await _hub.SettleAsync();
        await Eventually.WaitForAsync(() => _hub.QueryAsync(db => db.Profiles.AnyAsync(p => p.PersonKey == personKey && p.KrrContact != null)), found => found, "KRR's contact details kept");

        var (status, list) = await _hub.SendAsync(HttpMethod.Get, "/coordination/worklist", HubRoles.Coordinator, CoordinationHub.NavCoordinator);

        Assert.Equal(HttpStatusCode.OK, status);
        var item = Assert.Single(list.EnumerateArray());
        AssertKari(item.GetProperty("person"));
        var reach = item.GetProperty("reach");
        Assert.Equal(Mobile, reach.GetProperty("mobile").GetString());
        Assert.Equal("test@example.invalid", reach.GetProperty("email").GetString());
        Assert.Equal(CoordinationHub.NavOffice, reach.GetProperty("navOffice").GetString());
        var municipal = Assert.Single(reach.GetProperty("municipal").EnumerateArray());
        Assert.Equal(CoordinationHub.Municipality, municipal.GetProperty("municipality").GetString());
        Assert.Equal("Oslo kommune (0301)", municipal.GetProperty("municipalityName").GetString());
        Assert.Equal("oppfølging ved rusmiddelavhengighet", municipal.GetProperty("serviceText").GetString());
        Assert.Equal($"dev-{HubRoles.MunicipalCaseworker}", municipal.GetProperty("caseworker").GetString());

        var escalationId = item.GetProperty("escalationId").GetGuid();
        var (_, escalation) = await _hub.SendAsync(HttpMethod.Get, $"/coordination/escalations/{escalationId}", HubRoles.Coordinator, CoordinationHub.NavCoordinator);
        AssertKari(escalation.GetProperty("person"));
        Assert.Equal(Mobile, escalation.GetProperty("reach").GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task The_name_and_the_KRR_details_lie_sealed_at_rest_and_do_not_open_in_another_persons_row()
    {
        _krr.Answer(CoordinationHub.Kari, LoopbackKrr.Normal, Mobile);
        var personKey = await _hub.PersonKeyAsync();
        await CaseOpenedWithNameAsync(CoordinationHub.Kari, "Kari", "Nordmann");
        await _hub.SettleAsync();
        await Eventually.WaitForAsync(() => _hub.QueryAsync(db => db.Profiles.AnyAsync(p => p.PersonKey == personKey && p.KrrContact != null)), found => found, "KRR's contact details kept");

        var details = await _hub.QueryAsync(db => db.People.AsNoTracking().SingleAsync(p => p.PersonKey == personKey));
        var profile = await _hub.QueryAsync(db => db.Profiles.AsNoTracking().SingleAsync(p => p.PersonKey == personKey));
        Assert.DoesNotContain("Nordmann", details.Name!, StringComparison.Ordinal);
        Assert.DoesNotContain("91234567", profile.KrrContact!, StringComparison.Ordinal);
        Assert.DoesNotContain(CoordinationHub.Kari, details.SealedIdentifier, StringComparison.Ordinal);

        var directory = _hub.Server.Services.GetRequiredService<Domain.PersonDirectory>();
        Assert.Equal("Kari Nordmann", directory.NameOf(details)!.Full);
        var moved = new Domain.PersonDetails { PersonKey = "another-person-key", SealedIdentifier = details.SealedIdentifier, Name = details.Name };
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => directory.NameOf(moved));
    }

    [Fact]
    public async Task NAVs_name_from_the_population_register_outranks_a_municipalitys_and_a_newer_one_from_NAV_replaces_it()
    {
        var personKey = await _hub.PersonKeyAsync();
        await RegisterInOsloAsync(CoordinationHub.Kari, new JsonObject { ["given"] = "Kari", ["family"] = "Nordman" });
        await _hub.SettleAsync();
        Assert.Equal("Kari Nordman", await NameAsync(personKey));

        await CaseOpenedWithNameAsync(CoordinationHub.Kari, "Kari", "Nordmann");
        await _hub.SettleAsync();
        Assert.Equal("Kari Nordmann", await NameAsync(personKey));

        await RegisterInOsloAsync(CoordinationHub.Kari, new JsonObject { ["given"] = "K.", ["family"] = "Nordmann" });
        await _hub.SettleAsync();
        Assert.Equal("Kari Nordmann", await NameAsync(personKey));

        await _hub.NavEventAsync("advisor-assigned", _hub.Now.AddDays(-1), e =>
        {
            e["advisor"] = "Z990124";
            e["person"]!["name"] = new JsonObject { ["given"] = "Kari", ["family"] = "Nordmann Berg" };
        });
        await _hub.SettleAsync();
        Assert.Equal("Kari Nordmann Berg", await NameAsync(personKey));
    }

    [Fact]
    public async Task A_GPs_name_counts_until_a_better_source_gives_one_and_goes_to_coordination_once_per_name()
    {
        var personKey = await _hub.PersonKeyAsync();
        await RegisterInOsloAsync(CoordinationHub.Kari, name: null);
        await _hub.SettleAsync();
        Assert.Null(await NameAsync(personKey));

        await SendCertificateAsync(CoordinationHub.Kari);
        await SendCertificateAsync(CoordinationHub.Kari);
        await _hub.SettleAsync();
        Assert.Equal("Kari Nordmann", await NameAsync(personKey));
        await using (var scope = _hub.Server.Services.CreateAsyncScope())
        {
            var certificates = scope.ServiceProvider.GetRequiredService<GpCertificates.Persistence.CertificatesDbContext>();
            var told = await certificates.OutboxMessages.AsNoTracking().CountAsync(m => m.MessageType.StartsWith("IntegrationHub.Contracts.PersonIdentified"));
            Assert.Equal(1, told);
        }

        await RegisterInOsloAsync(CoordinationHub.Kari, new JsonObject { ["given"] = "Kari Anne", ["family"] = "Nordmann" });
        await _hub.SettleAsync();
        Assert.Equal("Kari Anne Nordmann", await NameAsync(personKey));
        await SendCertificateAsync(CoordinationHub.Kari, family: "Nordmann-Hansen");
        await _hub.SettleAsync();
        Assert.Equal("Kari Anne Nordmann", await NameAsync(personKey));
    }

    [Fact]
    public async Task The_full_identifier_is_shown_only_for_a_stated_purpose_and_every_look_is_audited()
    {
        var personKey = await _hub.PersonKeyAsync();
        await CaseOpenedWithNameAsync(CoordinationHub.Kari, "Kari", "Nordmann");
        await _hub.SettleAsync();
        var path = $"/persons/{personKey}/identifier";

        var (withoutPurpose, problem) = await _hub.SendAsync(HttpMethod.Post, path, HubRoles.NavAdvisor, CoordinationHub.NavOffice, new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, withoutPurpose);
        Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));

        var purpose = new JsonObject { ["purpose"] = "Søknad om nytt bankkort sammen med personen" };
        var (shown, answer) = await _hub.SendAsync(HttpMethod.Post, path, HubRoles.NavAdvisor, CoordinationHub.NavOffice, purpose);
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Equal(CoordinationHub.Kari, answer.GetProperty("identifier").GetString());

        var (refused, _) = await _hub.SendAsync(HttpMethod.Post, path, HubRoles.NavAdvisor, "0315", purpose.DeepClone());
        Assert.Equal(HttpStatusCode.NotFound, refused);

        var looks = await Eventually.WaitForAsync(
            async () =>
            {
                await using var scope = _hub.Server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<AuditDbContext>().Entries.AsNoTracking()
                    .Where(e => e.PersonKey == personKey && e.Resource == "persons/identifier").ToListAsync();
            },
            entries => entries.Count >= 2,
            "both looks at the identifier in the audit log");
        Assert.Equal(2, looks.Count);
        Assert.All(looks, e => Assert.Equal("vis fødselsnummer: Søknad om nytt bankkort sammen med personen", e.Purpose));
        Assert.Single(looks, e => e.Granted && e.ActorParty == CoordinationHub.NavOffice);
        Assert.Single(looks, e => !e.Granted && e.ActorParty == "0315");
    }

    [Fact]
    public async Task Names_of_several_people_leave_out_those_the_callers_unit_does_not_follow()
    {
        var people = TestPersons.Synthetic(2, seed: 23);
        await CaseOpenedWithNameAsync(people[0], "Ola", "Nordmann");
        await CaseOpenedWithNameAsync(people[1], "Per", "Hansen", navOffice: "0315");
        await _hub.SettleAsync();
        var keys = new[] { await _hub.PersonKeyAsync(people[0]), await _hub.PersonKeyAsync(people[1]) };

        var (status, list) = await _hub.SendAsync(
            HttpMethod.Post, "/persons/identities", HubRoles.NavAdvisor, CoordinationHub.NavOffice, new JsonObject { ["personKeys"] = new JsonArray(keys[0], keys[1]) });

        Assert.Equal(HttpStatusCode.OK, status);
        var only = Assert.Single(list.EnumerateArray());
        Assert.Equal(keys[0], only.GetProperty("personKey").GetString());
        Assert.Equal("Ola", only.GetProperty("name").GetProperty("given").GetString());
        Assert.DoesNotContain("Hansen", list.GetRawText(), StringComparison.Ordinal);

        var (tooMany, _) = await _hub.SendAsync(
            HttpMethod.Post, "/persons/identities", HubRoles.NavAdvisor, CoordinationHub.NavOffice, new JsonObject { ["personKeys"] = new JsonArray() });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
    }

    [Fact]
    public async Task A_second_municipality_that_follows_the_person_sees_them_by_name_until_it_ends_its_follow_up()
    {
        var personKey = await _hub.PersonKeyAsync();
        await RegisterInOsloAsync(CoordinationHub.Kari, new JsonObject { ["given"] = "Kari", ["family"] = "Nordmann" });
        var (joined, _) = await _hub.SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, Bergen, new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = CoordinationHub.Kari },
            ["service"] = "housing",
        });
        Assert.Equal(HttpStatusCode.Created, joined);
        await _hub.SettleAsync();

        var (seen, identity) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/identity", HubRoles.MunicipalCaseworker, Bergen);
        Assert.Equal(HttpStatusCode.OK, seen);
        Assert.Equal("Nordmann", identity.GetProperty("name").GetProperty("family").GetString());
        var (_, reach) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/reach", HubRoles.MunicipalCaseworker, Bergen);
        Assert.Equal(["kommune 0301", "kommune 4601"], reach.GetProperty("careTeam").EnumerateArray().Select(m => m.GetProperty("office").GetString()));

        var (ended, _) = await _hub.SendAsync(HttpMethod.Post, $"/municipal/persons/{personKey}/end", HubRoles.MunicipalCaseworker, Bergen, new JsonObject());
        Assert.Equal(HttpStatusCode.OK, ended);
        await _hub.SettleAsync();
        var (afterwards, _) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/identity", HubRoles.MunicipalCaseworker, Bergen);
        Assert.Equal(HttpStatusCode.NotFound, afterwards);
        var (oslo, _) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/identity", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality);
        Assert.Equal(HttpStatusCode.OK, oslo);
    }

    /// <summary>
    /// A registration publishes the follow-up and who the person is side by side. On PostgreSQL
    /// coordination takes the two in transactions that run at once, and when each found the other
    /// not yet committed, KRR was never asked about the person.
    /// </summary>
    [Fact]
    public async Task Everyone_only_a_municipality_follows_is_looked_up_in_KRR_also_when_coordination_takes_the_registrations_messages_at_once()
    {
        var people = TestPersons.Synthetic(24, seed: 20);
        foreach (var person in people)
        {
            _krr.Answer(person, LoopbackKrr.Normal, Mobile);
        }

        await using var server = await HubTestServer.StartAsync(_clock, [$"--Coordination:Krr:BaseUrl={_krr.BaseUrl}", .. TestPostgres.HubArguments("krr")]);
        var hub = new CoordinationHub(server, _clock);
        await Task.WhenAll(people.Select(person => hub.MunicipalRegistrationAsync(person)));
        await hub.SettleAsync();

        var looked = await Eventually.WaitForAsync(
            () => hub.QueryAsync(db => db.Profiles.CountAsync(p => p.KrrContact != null)), count => count == people.Count, "KRR's answer for every person registered");
        Assert.Equal(people.Count, looked);
        Assert.Equal(people.Order(), _krr.Lookups.Keys.Order());
    }

    [Fact]
    public async Task A_name_that_is_not_one_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var (status, body) = await _hub.SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = CoordinationHub.Kari, ["name"] = new JsonObject { ["given"] = "Kari", ["family"] = "" } },
            ["service"] = "addiction",
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("person.name", out _));
        await _hub.SettleAsync();
        Assert.False(await _hub.QueryAsync(db => db.People.AnyAsync()));
    }

    private static void AssertKari(JsonElement person)
    {
        Assert.Equal("Kari", person.GetProperty("name").GetProperty("given").GetString());
        Assert.Equal("Nordmann", person.GetProperty("name").GetProperty("family").GetString());
        Assert.Equal("1991-03-12", person.GetProperty("birthDate").GetString());
    }

    private async Task<string?> NameAsync(string personKey)
    {
        var (status, identity) = await _hub.SendAsync(HttpMethod.Get, $"/persons/{personKey}/identity", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality);
        Assert.Equal(HttpStatusCode.OK, status);
        var name = identity.GetProperty("name");
        return name.ValueKind == JsonValueKind.Null ? null : $"{name.GetProperty("given").GetString()} {name.GetProperty("family").GetString()}";
    }

    private Task CaseOpenedWithNameAsync(string identifier, string given, string family, string navOffice = CoordinationHub.NavOffice) =>
        _hub.NavEventAsync("case-opened", _hub.Now.AddDays(-2), e =>
        {
            e["caseType"] = "arbeidsavklaring";
            e["navOffice"] = navOffice;
            e["person"]!["name"] = new JsonObject { ["given"] = given, ["family"] = family };
        }, identifier);

    private async Task SendCertificateAsync(string identifier, string? family = null)
    {
        var bundle = JsonNode.Parse(CertificateExamples.NewFor(identifier))!.AsObject();
        if (family is not null)
        {
            var patient = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == "Patient");
            patient["name"]![0]!["family"] = family;
        }

        using var request = _hub.Server.Request(HttpMethod.Post, "/fhir/Bundle", HubRoles.GpSystem, "90128",
            new StringContent(bundle.ToJsonString(), System.Text.Encoding.UTF8, "application/fhir+json"));
        using var response = await _hub.Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task RegisterInOsloAsync(string identifier, JsonObject? name)
    {
        var person = new JsonObject { ["identifier"] = identifier };
        if (name is not null)
        {
            person["name"] = name;
        }

        var (status, body) = await _hub.SendAsync(HttpMethod.Post, "/municipal/persons", HubRoles.MunicipalCaseworker, CoordinationHub.Municipality, new JsonObject
        {
            ["person"] = person,
            ["service"] = "addiction",
        });
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)status}: {body}");
    }
}
