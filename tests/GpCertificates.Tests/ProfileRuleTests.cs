using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

/// <summary>Each profile rule broken by one minimal mutation of the shared example, through the HTTP endpoint.</summary>
public sealed class ProfileRuleTests : IAsyncLifetime
{
    private const string Patient = "urn:uuid:0b7a4c2e-9d11-4e0f-8a44-6a1f3e2d5c02";
    private const string Practitioner = "urn:uuid:0b7a4c2e-9d11-4e0f-8a44-6a1f3e2d5c03";
    private const string Condition = "urn:uuid:0b7a4c2e-9d11-4e0f-8a44-6a1f3e2d5c05";

    private static readonly Dictionary<string, (Action<JsonObject> Mutate, string Expression)> Mutations = new()
    {
        ["BUNDLE-DOCUMENT"] = (b => b["type"] = "collection", "Bundle.type"),
        ["BUNDLE-TIMESTAMP"] = (b => b.Remove("timestamp"), "Bundle.timestamp"),
        ["BUNDLE-IDENTIFIER"] = (b => b["identifier"]!.AsObject().Remove("system"), "Bundle.identifier"),
        ["ENTRY-FULLURL"] = (b =>
        {
            b.Resource(0)["author"] = new JsonArray(new JsonObject { ["reference"] = Practitioner });
            b["entry"]![3]!.AsObject().Remove("fullUrl");
        }, "Bundle.entry[3].fullUrl"),
        ["COMPOSITION-FIRST"] = (b =>
        {
            var entries = b["entry"]!.AsArray();
            var composition = entries[0]!;
            entries.RemoveAt(0);
            entries.Add(composition);
        }, "Bundle.entry[0].resource"),
        ["COMPOSITION-KIND"] = (b => b.Resource(0)["type"]!["coding"]![0]!["code"] = "henvisning", "Bundle.entry[0].resource.type"),
        ["COMPOSITION-STATUS"] = (b => b.Resource(0)["status"] = "preliminary", "Bundle.entry[0].resource.status"),
        ["COMPOSITION-RELATES-TO"] = (b => b.Resource(0)["status"] = "amended", "Bundle.entry[0].resource.relatesTo"),
        ["COMPOSITION-SUBJECT"] = (b => b.Resource(0)["subject"]!["reference"] = Practitioner, "Bundle.entry[0].resource.subject"),
        ["COMPOSITION-AUTHOR"] = (b => b.Resource(0)["author"]![1]!["reference"] = Patient, "Bundle.entry[0].resource.author[1]"),
        ["ONE-PATIENT"] = (b => AddSecondPatient(b), "Bundle.entry"),
        ["PATIENT-IDENTIFIER"] = (b => b.Resource(1)["identifier"]![0]!["value"] = "12039140046", "Bundle.entry[1].resource.identifier[0].value"),
        ["PRACTITIONER-HPR"] = (b => b.Resource(2)["identifier"]![0]!["value"] = "91448a9", "Bundle.entry[2].resource.identifier[0].value"),
        ["ORGANIZATION-IDENTIFIER"] = (b => b.Resource(3)["identifier"]![1]!["value"] = "910000129", "Bundle.entry[3].resource.identifier[1].value"),
        ["SECTION-CODE"] = (b => b.Resource(0)["section"]![2]!["code"]!["coding"]![0]!["code"] = "anamnesis", "Bundle.entry[0].resource.section[2].code"),
        ["SECTION-DIAGNOSES"] = (b => b.Resource(0)["section"]!.AsArray().RemoveAt(0), "Bundle.entry[0].resource.section"),
        ["SECTION-WORK-CAPACITY"] = (b => b.Resource(0)["section"]![1]!["entry"]![0]!["reference"] = Condition, "Bundle.entry[0].resource.section[1].entry[0]"),
        ["SECTION-TEXT"] = (b => b.Resource(0)["section"]![2]!.AsObject().Remove("text"), "Bundle.entry[0].resource.section[2].text"),
        ["CONDITION-CODE"] = (b => b.Resource(4)["code"]!["coding"]![0]!["code"] = "P1", "Bundle.entry[4].resource.code.coding[0].code"),
        ["SUBJECT-IS-PATIENT"] = (b => b.Resource(4)["subject"]!["reference"] = AddSecondPatient(b), "Bundle.entry[4].resource.subject"),
        ["OBSERVATION-STATUS"] = (b => b.Resource(5)["status"] = "preliminary", "Bundle.entry[5].resource.status"),
        ["OBSERVATION-CODE"] = (b => b.Resource(5)["code"]!["coding"]![0]!["code"] = "work-capacity", "Bundle.entry[5].resource.code"),
        ["OBSERVATION-PERIOD"] = (b => b.Resource(5)["effectivePeriod"]!["end"] = "2026-11-19", "Bundle.entry[5].resource.effectivePeriod.end"),
        ["OBSERVATION-VALUE"] = (b => b.Resource(5)["valueQuantity"]!["value"] = 150, "Bundle.entry[5].resource.valueQuantity.value"),
    };

    private CertificateClient _gp = null!;

    public static TheoryData<string> RuleIds { get; } = [.. CertificateProfileRules.All.Select(r => r.Id)];

    public async Task InitializeAsync() => _gp = await CertificateClient.StartAsync("--modules", "gp-certificates");

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private static string AddSecondPatient(JsonObject bundle)
    {
        var fullUrl = $"urn:uuid:{Guid.NewGuid()}";
        var patient = bundle["entry"]![1]!.DeepClone().AsObject();
        patient["fullUrl"] = fullUrl;
        bundle["entry"]!.AsArray().Add(patient);
        return fullUrl;
    }

    [Fact]
    public void Every_rule_has_a_mutation_and_a_message_for_the_person()
    {
        Assert.Equal(CertificateProfileRules.All.Select(r => r.Id).Order(), Mutations.Keys.Order());
        Assert.All(CertificateProfileRules.All, rule => Assert.False(string.IsNullOrWhiteSpace(rule.PersonMessage)));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Breaking_the_rule_is_422_naming_the_rule_and_the_path(string ruleId)
    {
        var (mutate, expression) = Mutations[ruleId];

        var answer = await _gp.PostAsync(CertificateExamples.Mutated(mutate));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var issues = answer.Outcome.GetProperty("issue").EnumerateArray()
            .Select(i => (Diagnostics: i.GetProperty("diagnostics").GetString()!, Expression: i.GetProperty("expression")[0].GetString()))
            .ToList();
        Assert.Contains(issues, i => i.Diagnostics.StartsWith($"[{ruleId}]", StringComparison.Ordinal) && i.Expression == expression);
    }
}
