using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.FirelyReference;
using IntegrationHub.GpCertificates.Profile;
using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

/// <summary>What the hub writes as FHIR (Firely's model and serializer) is valid R4 to Firely's validator, and the profile loses nothing on its way through.</summary>
public sealed class HubFhirOutputTests
{
    private const string Core = "http://hl7.org/fhir/StructureDefinition/";

    [Fact]
    public async Task Firely_finds_the_capability_statement_and_each_kind_of_answer_valid_r4()
    {
        await using var gp = await CertificateClient.StartAsync("--modules", "gp-certificates");
        var firely = new FirelyProfileValidator();
        var broken = CertificateExamples.WithBadTimestampAndNoType();

        var capabilities = await gp.GetAsync("/fhir/metadata", role: null);
        var accepted = await gp.PostAsync(CertificateExamples.NewFor("12039140045"));
        var rejected = await gp.PostAsync(broken);
        var unknown = await gp.GetAsync("/fhir/StructureDefinition/no-such-profile", role: null);

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound],
            [capabilities.Status, accepted.Status, rejected.Status, unknown.Status]);
        AssertValid(firely, capabilities.Body, Core + "CapabilityStatement");
        foreach (var outcome in new[] { accepted, rejected, unknown })
        {
            AssertValid(firely, outcome.Body, Core + "OperationOutcome");
        }

        Assert.Contains("\"expression\":[\"Bundle.timestamp\"]", rejected.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_served_definition_says_what_the_vendored_one_says()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "services", "GpCertificates", "Profile", "definitions");
        var files = Directory.GetFiles(folder, "*.json");

        Assert.Equal(files.Length, ProfileDefinitions.All.Count);
        foreach (var file in files)
        {
            var vendored = JsonNode.Parse(File.ReadAllBytes(file))!;
            var served = JsonNode.Parse(ProfileDefinitions.All[$"{vendored["resourceType"]}/{vendored["id"]}"]);
            Assert.True(JsonNode.DeepEquals(vendored, served), Path.GetFileName(file));
        }
    }

    private static void AssertValid(FirelyProfileValidator firely, string json, string profile)
    {
        var (valid, errors) = firely.Validate(json, profile);
        Assert.True(valid, string.Join("\n", errors));
    }
}
