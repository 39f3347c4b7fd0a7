using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.GpCertificates.Profile;
using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.GpCertificates.Tests;

public sealed class CertificateReceptionTests : IAsyncLifetime
{
    private CertificateClient _gp = null!;

    public async Task InitializeAsync() => _gp = await CertificateClient.StartAsync();

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private static void AssertValidOperationOutcome(FhirAnswer answer)
    {
        Assert.Equal("application/fhir+json", answer.ContentType);
        Assert.Equal("OperationOutcome", answer.Outcome.GetProperty("resourceType").GetString());
        Assert.True(answer.Outcome.GetProperty("issue").GetArrayLength() > 0);
        Assert.Empty(new FhirValidator().Validate(answer.Outcome));
    }

    private static string NewIdentifier(JsonObject bundle)
    {
        var value = $"urn:uuid:{Guid.NewGuid()}";
        bundle["identifier"]!["value"] = value;
        return value;
    }

    [Fact]
    public async Task Shared_example_is_accepted_and_published_with_person_key_period_and_percentage()
    {
        var answer = await _gp.PostAsync(CertificateExamples.Legeerklaering);

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        AssertValidOperationOutcome(answer);
        Assert.Matches("^/fhir/Bundle/[0-9a-f-]{36}$", answer.Location);
        var id = Guid.Parse(answer.Location!["/fhir/Bundle/".Length..]);

        var published = await _gp.PublishedAsync<MedicalCertificateReceived>(m => m.CertificateId == id);
        var expectedKey = _gp.Hub.Services.GetRequiredService<PersonKeyGenerator>().KeyFor(Person("12039140045"));
        Assert.Equal(expectedKey, published.Person.PersonKey);
        Assert.Equal(CertificateKind.Legeerklaering, published.Kind);
        Assert.Equal(new WorkCapacity(new DateOnly(2026, 11, 20), new DateOnly(2027, 1, 31), 100m), published.WorkCapacity);
        Assert.Equal([new DiagnosisEntry("urn:oid:2.16.578.1.12.4.1.1.7170", "P15", "Kronisk alkoholmisbruk")], published.Diagnoses);
        Assert.Equal("Klarer korte arbeidsøkter, trenger tett oppfølging.", published.Assessment!.FunctionalAssessment);
        Assert.Null(published.Assessment.Measures);
        Assert.Equal(new CertificateAuthor("9144889", "90128", "910000128", "Storgata legekontor"), published.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 40, 0, TimeSpan.FromHours(1)), published.IssuedAt);
        Assert.Null(published.Replaces);
        Assert.DoesNotContain("12039140045", JsonSerializer.Serialize(published), StringComparison.Ordinal);
    }

    private static Fhir.Identifiers.NorwegianPersonIdentifier Person(string value)
    {
        Fhir.Identifiers.NorwegianPersonIdentifier.TryParse(value, new Fhir.Identifiers.PersonIdentifierRules { AcceptSynthetic = true }, out var person, out _);
        return person!;
    }

    [Fact]
    public async Task Same_certificate_again_is_a_duplicate_with_the_same_location_even_reformatted()
    {
        var first = await _gp.PostAsync(CertificateExamples.Mutated(b => NewIdentifier(b)));
        Assert.Equal(HttpStatusCode.Created, first.Status);

        var original = await _gp.GetAsync(first.Location!);
        var reformatted = JsonSerializer.Serialize(
            JsonSerializer.Deserialize<JsonElement>(original.Body),
            new JsonSerializerOptions { WriteIndented = true });
        var reordered = ReorderProperties(JsonNode.Parse(original.Body)!.AsObject());

        var again = await _gp.PostAsync(original.Body);
        var againReformatted = await _gp.PostAsync(reformatted);
        var againReordered = await _gp.PostAsync(reordered.ToJsonString());

        Assert.All([again, againReformatted, againReordered], answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(first.Location, answer.Location);
            AssertValidOperationOutcome(answer);
        });
        var id = Guid.Parse(first.Location!["/fhir/Bundle/".Length..]);
        await _gp.PublishedAsync<MedicalCertificateReceived>(m => m.CertificateId == id);
        // Duplicates write nothing: one outbox row, one event, for the certificate.
        await using var scope = _gp.Hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Persistence.CertificatesDbContext>();
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.MessageType.Contains(nameof(MedicalCertificateReceived)) && m.Body.Contains(id.ToString())));
    }

    [Fact]
    public async Task Copies_of_one_certificate_sent_at_the_same_moment_store_it_once_and_all_get_its_location()
    {
        // Sent together, the copies wait for the file's write turn together and commit as one group.
        // Those that lose on the identifier must read the winner's row, not fail.
        var body = CertificateExamples.Mutated(b => NewIdentifier(b));
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _gp.PostAsync(body)));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(11, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Location).Distinct());
        var id = Guid.Parse(answers[0].Location!["/fhir/Bundle/".Length..]);
        await using var scope = _gp.Hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Persistence.CertificatesDbContext>();
        Assert.Equal(1, await db.Certificates.CountAsync(c => c.Id == id));
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.MessageType.Contains(nameof(MedicalCertificateReceived)) && m.Body.Contains(id.ToString())));
    }

    private static JsonObject ReorderProperties(JsonObject node)
    {
        var reordered = new JsonObject();
        foreach (var (name, value) in node.ToList().AsEnumerable().Reverse())
        {
            node.Remove(name);
            reordered[name] = value is JsonObject child ? ReorderProperties(child) : value;
        }

        return reordered;
    }

    [Fact]
    public async Task Same_identifier_with_other_content_is_a_conflict()
    {
        var identifier = $"urn:uuid:{Guid.NewGuid()}";
        var first = await _gp.PostAsync(CertificateExamples.Mutated(b => b["identifier"]!["value"] = identifier));
        var changed = await _gp.PostAsync(CertificateExamples.Mutated(b =>
        {
            b["identifier"]!["value"] = identifier;
            b.Resource(5)["valueQuantity"]!["value"] = 50;
        }));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, changed.Status);
        AssertValidOperationOutcome(changed);
        Assert.Equal("Bundle.identifier", changed.Outcome.GetProperty("issue")[0].GetProperty("expression")[0].GetString());
    }

    [Fact]
    public async Task Correction_and_withdrawal_refer_to_the_earlier_certificate()
    {
        var originalIdentifier = $"urn:uuid:{Guid.NewGuid()}";
        var original = await _gp.PostAsync(CertificateExamples.Mutated(b => b["identifier"]!["value"] = originalIdentifier));
        var originalId = Guid.Parse(original.Location!["/fhir/Bundle/".Length..]);

        var correction = await _gp.PostAsync(CertificateExamples.Mutated(b =>
        {
            NewIdentifier(b);
            b.Resource(0)["status"] = "amended";
            b.Resource(0)["relatesTo"] = new JsonArray(new JsonObject
            {
                ["code"] = "replaces",
                ["targetIdentifier"] = new JsonObject { ["system"] = "urn:ietf:rfc:3986", ["value"] = originalIdentifier },
            });
            b.Resource(5)["valueQuantity"]!["value"] = 60;
        }));
        var withdrawal = await _gp.PostAsync(CertificateExamples.Mutated(b =>
        {
            NewIdentifier(b);
            b.Resource(0)["status"] = "entered-in-error";
            b.Resource(0)["relatesTo"] = new JsonArray(new JsonObject
            {
                ["code"] = "replaces",
                ["targetIdentifier"] = new JsonObject { ["system"] = "urn:ietf:rfc:3986", ["value"] = originalIdentifier },
            });
        }));

        Assert.Equal(HttpStatusCode.Created, correction.Status);
        Assert.Equal(HttpStatusCode.Created, withdrawal.Status);
        var corrected = await _gp.PublishedAsync<MedicalCertificateReceived>(m => m.Replaces == originalId);
        Assert.Equal(60m, corrected.WorkCapacity.IncapacityPercent);
        var withdrawn = await _gp.PublishedAsync<MedicalCertificateWithdrawn>(m => m.CertificateId == originalId);
        Assert.Equal(Guid.Parse(withdrawal.Location!["/fhir/Bundle/".Length..]), withdrawn.WithdrawalId);
    }

    [Fact]
    public async Task Correction_of_an_unknown_certificate_is_rejected()
    {
        var answer = await _gp.PostAsync(CertificateExamples.Mutated(b =>
        {
            NewIdentifier(b);
            b.Resource(0)["status"] = "amended";
            b.Resource(0)["relatesTo"] = new JsonArray(new JsonObject
            {
                ["code"] = "replaces",
                ["targetIdentifier"] = new JsonObject { ["system"] = "urn:ietf:rfc:3986", ["value"] = "urn:uuid:never-sent" },
            });
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("Bundle.entry[0].resource.relatesTo", answer.Outcome.GetProperty("issue")[0].GetProperty("expression")[0].GetString());
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/xml", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/fhir+json; charset=latin1", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/fhir+json; charset=utf-8", HttpStatusCode.OK)]
    [InlineData("application/json", HttpStatusCode.OK)]
    public async Task Content_type_is_checked(string contentType, HttpStatusCode expected)
    {
        await _gp.PostAsync(CertificateExamples.Legeerklaering);

        var answer = await _gp.PostAsync(CertificateExamples.Legeerklaering, contentType: contentType);

        Assert.Equal(expected, answer.Status);
        AssertValidOperationOutcome(answer);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"resourceType\": \"Bundle\", ")]
    [InlineData("{\"type\": \"document\"}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("\"Bundle\"")]
    public async Task Body_that_is_not_json_or_not_a_resource_is_400(string body)
    {
        var answer = await _gp.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        AssertValidOperationOutcome(answer);
    }

    [Fact]
    public async Task Another_resource_type_is_422()
    {
        var answer = await _gp.PostAsync(CertificateExamples.LegeerklaeringNode().Resource(1).ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        AssertValidOperationOutcome(answer);
    }

    [Fact]
    public async Task Body_over_one_mebibyte_is_413()
    {
        var answer = await _gp.PostAsync(CertificateExamples.Mutated(b => b.Resource(2)["name"]![0]!["family"] = new string('x', 1_100_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        AssertValidOperationOutcome(answer);
    }

    [Fact]
    public async Task Without_a_token_is_401_and_another_role_is_403()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gp.PostAsync(CertificateExamples.Legeerklaering, role: null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gp.PostAsync(CertificateExamples.Legeerklaering, role: HubRoles.NavSystem)).Status);
    }

    [Fact]
    public async Task Sender_other_than_the_author_organization_is_403_with_an_operation_outcome()
    {
        var answer = await _gp.PostAsync(CertificateExamples.Mutated(b => NewIdentifier(b)), party: "77777");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        AssertValidOperationOutcome(answer);
        Assert.Equal("forbidden", answer.Outcome.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stored_bundle_is_returned_as_received_to_its_sender_only()
    {
        var body = CertificateExamples.Mutated(b => NewIdentifier(b));
        var created = await _gp.PostAsync(body);

        var bySender = await _gp.GetAsync(created.Location!);
        var byOtherGp = await _gp.GetAsync(created.Location!, party: "12345");
        var unknown = await _gp.GetAsync($"/fhir/Bundle/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.OK, bySender.Status);
        Assert.Equal(body, bySender.Body);
        Assert.Equal(HttpStatusCode.Forbidden, byOtherGp.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task The_stored_bundle_holds_neither_the_fodselsnummer_nor_the_diagnosis_in_clear()
    {
        var body = CertificateExamples.Mutated(b => NewIdentifier(b));
        var created = await _gp.PostAsync(body);
        var id = Guid.Parse(created.Location!.Split('/')[^1]);

        await using var scope = _gp.Hub.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<Persistence.CertificatesDbContext>().Certificates.AsNoTracking().SingleAsync(c => c.Id == id);

        Assert.Equal(-1, stored.Body.AsSpan().IndexOf("12039140045"u8));
        Assert.Equal(-1, stored.Body.AsSpan().IndexOf("P15"u8));
        Assert.Equal(body, (await _gp.GetAsync(created.Location!)).Body);
    }

    [Fact]
    public async Task Capability_statement_announces_fhir_4_0_1_json()
    {
        var answer = await _gp.GetAsync("/fhir/metadata", role: null);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var json = JsonDocument.Parse(answer.Body);
        Assert.Equal("CapabilityStatement", json.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("4.0.1", json.RootElement.GetProperty("fhirVersion").GetString());
        Assert.Equal("json", json.RootElement.GetProperty("format")[0].GetString());
    }

    [Fact]
    public async Task The_capability_statement_names_the_profile_and_the_hub_serves_it_and_what_it_names()
    {
        using var capabilities = JsonDocument.Parse((await _gp.GetAsync("/fhir/metadata", role: null)).Body);
        var bundle = capabilities.RootElement.GetProperty("rest")[0].GetProperty("resource").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "Bundle");
        var canonical = bundle.GetProperty("supportedProfile")[0].GetString()!;
        Assert.Equal(ProfileDefinitions.BundleProfile, canonical);

        // Every profile, value set and code system the Bundle profile reaches is served under its id.
        var pending = new Queue<string>([canonical]);
        var served = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var url))
        {
            var path = "/fhir/" + url[(ProfileDefinitions.Canonical.Length + 1)..];
            var answer = await _gp.GetAsync(path, role: null);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{path}: {answer.Status}");
            using var resource = JsonDocument.Parse(answer.Body);
            Assert.Equal(url, resource.RootElement.GetProperty("url").GetString());
            served.Add(path);
            foreach (var named in Regex.Matches(answer.Body, "\"(https://integration-hub\\.no/fhir/(StructureDefinition|ValueSet)/[a-z-]+)\"").Select(m => m.Groups[1].Value))
            {
                if (!served.Contains("/fhir/" + named[(ProfileDefinitions.Canonical.Length + 1)..]) && !pending.Contains(named))
                {
                    pending.Enqueue(named);
                }
            }
        }

        Assert.Equal(9, served.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await _gp.GetAsync("/fhir/StructureDefinition/no-such-profile", role: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _gp.GetAsync("/fhir/Patient/certificate-patient", role: null)).Status);
    }

    [Fact]
    public async Task A_certificate_that_names_the_profile_in_meta_profile_is_accepted()
    {
        var body = CertificateExamples.Mutated(b =>
        {
            b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}";
            b["meta"] = new JsonObject { ["profile"] = new JsonArray(ProfileDefinitions.BundleProfile) };
        });

        Assert.Equal(HttpStatusCode.Created, (await _gp.PostAsync(body)).Status);
    }
}
