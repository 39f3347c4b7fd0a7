using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Fhir.Tests;

/// <summary>FHIR R4 JSON strictness, each fault a minimal mutation of the shared example.</summary>
public sealed class FhirValidatorTests
{
    private static readonly FhirValidator Validator = new();

    private static IReadOnlyList<FhirIssue> Validate(string json)
    {
        Assert.True(FhirJson.TryParse(Encoding.UTF8.GetBytes(json), new FhirValidationLimits(), out var document, out var problem), problem?.Diagnostics);
        using (document)
        {
            return Validator.Validate(document!.RootElement);
        }
    }

    private static FhirIssue SingleIssue(Action<JsonObject> mutate)
    {
        var issues = Validate(CertificateExamples.Mutated(mutate));
        return Assert.Single(issues);
    }

    [Fact]
    public void Shared_example_is_valid_FHIR()
    {
        Assert.Empty(Validate(CertificateExamples.Legeerklaering));
    }

    [Fact]
    public void Copy_of_the_example_matches_the_shared_reference()
    {
        var shared = Path.Combine(RepositoryRoot.Path, "..", "shared", "reference", "examples", CertificateExamples.FileName);
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllBytes(shared), CertificateExamples.LegeerklaeringBytes);
        }
    }

    [Fact]
    public void Unknown_element_is_rejected_at_its_path()
    {
        var issue = SingleIssue(b => b.Resource(1)["nickname"] = "Kari");

        Assert.Equal(IssueCode.Structure, issue.Code);
        Assert.Equal("Bundle.entry[1].resource.nickname", issue.Expression);
    }

    [Fact]
    public void Array_where_a_single_value_belongs_is_rejected()
    {
        var issue = SingleIssue(b => b["type"] = new JsonArray("document"));

        Assert.Equal(IssueCode.Structure, issue.Code);
        Assert.Equal("Bundle.type", issue.Expression);
    }

    [Fact]
    public void Single_value_where_an_array_belongs_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(1)["identifier"] = b.Resource(1)["identifier"]![0]!.DeepClone());

        Assert.Equal(IssueCode.Structure, issue.Code);
        Assert.Equal("Bundle.entry[1].resource.identifier", issue.Expression);
    }

    [Fact]
    public void Empty_string_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(2)["name"]![0]!["family"] = "");

        Assert.Equal(IssueCode.Value, issue.Code);
        Assert.Equal("Bundle.entry[2].resource.name[0].family", issue.Expression);
    }

    [Fact]
    public void Empty_object_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(1)["meta"] = new JsonObject());

        Assert.Equal(IssueCode.Structure, issue.Code);
        Assert.Equal("Bundle.entry[1].resource.meta", issue.Expression);
    }

    [Fact]
    public void Empty_array_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(2)["name"]![0]!["given"] = new JsonArray());

        Assert.Equal("Bundle.entry[2].resource.name[0].given", issue.Expression);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("20.11.2026")]
    [InlineData("2026-11-20T25:00:00")]
    public void Bad_date_is_rejected(string date)
    {
        var issue = SingleIssue(b => b.Resource(5)["effectivePeriod"]!["start"] = date);

        Assert.Equal(IssueCode.Value, issue.Code);
        Assert.Equal("Bundle.entry[5].resource.effectivePeriod.start", issue.Expression);
    }

    [Theory]
    [InlineData("2026-11-20T09:41:00")] // an instant needs a time zone
    [InlineData("2026-11-20")]
    public void Bad_instant_is_rejected(string instant)
    {
        var issue = SingleIssue(b => b["timestamp"] = instant);

        Assert.Equal("Bundle.timestamp", issue.Expression);
    }

    [Fact]
    public void Duplicate_full_url_is_rejected()
    {
        var issues = Validate(CertificateExamples.Mutated(b => b["entry"]![4]!["fullUrl"] = b["entry"]![3]!["fullUrl"]!.GetValue<string>()));

        Assert.Contains(issues, i => i.Code == IssueCode.Duplicate && i.Expression == "Bundle.entry[4].fullUrl");
    }

    [Fact]
    public void Unresolved_reference_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(4)["subject"]!["reference"] = "urn:uuid:00000000-0000-4000-8000-000000000000");

        Assert.Equal(IssueCode.NotFound, issue.Code);
        Assert.Equal("Bundle.entry[4].resource.subject.reference", issue.Expression);
    }

    [Fact]
    public void Reference_to_a_type_the_element_does_not_allow_is_rejected()
    {
        // Observation.subject may be a Patient, Group, Device or Location, not a Practitioner.
        var issue = SingleIssue(b => b.Resource(5)["subject"]!["reference"] = b["entry"]![2]!["fullUrl"]!.GetValue<string>());

        Assert.Equal(IssueCode.Invalid, issue.Code);
        Assert.Equal("Bundle.entry[5].resource.subject.reference", issue.Expression);
    }

    [Fact]
    public void Code_outside_a_required_value_set_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(0)["status"] = "approved");

        Assert.Equal(IssueCode.CodeInvalid, issue.Code);
        Assert.Equal("Bundle.entry[0].resource.status", issue.Expression);
        Assert.Contains("final", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_element_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(5).Remove("status"));

        Assert.Equal(IssueCode.Required, issue.Code);
        Assert.Equal("Bundle.entry[5].resource.status", issue.Expression);
    }

    [Fact]
    public void Two_choices_of_one_choice_element_are_rejected()
    {
        var issue = SingleIssue(b => b.Resource(5)["valueString"] = "full");

        Assert.Equal(IssueCode.Structure, issue.Code);
    }

    [Fact]
    public void Choice_with_a_type_the_element_does_not_allow_is_rejected()
    {
        var issue = SingleIssue(b =>
        {
            b.Resource(5).Remove("valueQuantity");
            b.Resource(5)["valueMoney"] = new JsonObject { ["value"] = 100 };
        });

        Assert.Equal("Bundle.entry[5].resource.valueMoney", issue.Expression);
    }

    [Fact]
    public void Number_given_as_a_string_is_rejected()
    {
        var issue = SingleIssue(b => b.Resource(5)["valueQuantity"]!["value"] = "100");

        Assert.Equal("Bundle.entry[5].resource.valueQuantity.value", issue.Expression);
    }

    [Theory]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"javascript:alert(1)\">x</a></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\" onclick=\"alert(1)\">x</div>")]
    [InlineData("<div>no namespace</div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\">unclosed")]
    public void Unsafe_or_malformed_narrative_is_rejected(string div)
    {
        var issues = Validate(CertificateExamples.Mutated(b => b.Resource(0)["section"]![2]!["text"]!["div"] = div));

        Assert.NotEmpty(issues);
        Assert.All(issues, i => Assert.Equal("Bundle.entry[0].resource.section[2].text.div", i.Expression));
    }

    [Fact]
    public void Unknown_resource_type_in_an_entry_is_rejected()
    {
        var issues = Validate(CertificateExamples.Mutated(b => b.Resource(3)["resourceType"] = "Spaceship"));

        Assert.Contains(issues, i => i.Code == IssueCode.NotSupported && i.Expression == "Bundle.entry[3].resource.resourceType");
    }

    [Fact]
    public void Duplicate_json_property_is_rejected()
    {
        var json = CertificateExamples.Legeerklaering.Replace("\"type\": \"document\",", "\"type\": \"document\", \"type\": \"collection\",", StringComparison.Ordinal);

        var issues = Validate(json);

        Assert.Contains(issues, i => i.Code == IssueCode.Duplicate && i.Expression == "Bundle.type");
    }

    [Fact]
    public void A_second_resource_type_is_rejected()
    {
        var json = CertificateExamples.Legeerklaering.Replace("\"resourceType\": \"Bundle\",", "\"resourceType\": null, \"resourceType\": \"Bundle\",", StringComparison.Ordinal);

        var issues = Validate(json);

        Assert.Contains(issues, i => i.Code == IssueCode.Duplicate && i.Expression == "Bundle.resourceType");
    }

    [Fact]
    public void Json_nested_beyond_the_limit_is_too_costly_without_parsing_it_all()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

        Assert.False(FhirJson.TryParse(Encoding.UTF8.GetBytes(deep), new FhirValidationLimits(), out _, out var problem));
        Assert.Equal(IssueCode.TooCostly, problem!.Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"resourceType\": \"Bundle\",}")]
    [InlineData("{\"resourceType\": \"Bundle\" /* comment */}")]
    public void Body_that_is_not_strict_json_is_a_structure_problem(string body)
    {
        Assert.False(FhirJson.TryParse(Encoding.UTF8.GetBytes(body), new FhirValidationLimits(), out _, out var problem));
        Assert.Equal(IssueCode.Structure, problem!.Code);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_a_structure_problem_not_an_exception()
    {
        var bytes = Encoding.UTF8.GetBytes(CertificateExamples.Legeerklaering);
        var at = CertificateExamples.Legeerklaering.IndexOf("Nordmann", StringComparison.Ordinal);
        bytes[at] = 0xD8;

        Assert.False(FhirJson.TryParse(bytes, new FhirValidationLimits(), out _, out var problem));
        Assert.Equal(IssueCode.Structure, problem!.Code);
    }

    [Fact]
    public void Huge_string_is_rejected_as_too_long()
    {
        var issue = SingleIssue(b => b.Resource(2)["name"]![0]!["family"] = new string('x', 200_000));

        Assert.Equal(IssueCode.TooLong, issue.Code);
    }

    [Fact]
    public void Oversized_array_is_rejected_as_too_costly()
    {
        var issues = Validate(CertificateExamples.Mutated(b => b.Resource(2)["name"]![0]!["given"] = new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create($"n{i}")).ToArray())));

        Assert.Contains(issues, i => i.Code == IssueCode.TooCostly && i.Expression == "Bundle.entry[2].resource.name[0].given");
    }

    [Fact]
    public void Issue_list_is_capped()
    {
        var issues = Validate(CertificateExamples.Mutated(b =>
        {
            for (var i = 0; i < 300; i++)
            {
                b[$"unknown{i}"] = 1;
            }
        }));

        Assert.Equal(101, issues.Count);
        Assert.Equal(IssueCode.TooCostly, issues[^1].Code);
    }

    [Fact]
    public void Our_operation_outcomes_are_valid_fhir()
    {
        var outcome = OperationOutcomes.From([FhirIssue.Error(IssueCode.Value, "Not a valid date.", "Bundle.timestamp")]);
        using var json = JsonDocument.Parse(outcome);

        Assert.Empty(Validator.Validate(json.RootElement));
    }

    [Fact]
    public void Every_issue_code_the_hub_uses_is_written_as_that_fhir_issue_type()
    {
        var codes = typeof(IssueCode).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();

        var outcome = OperationOutcomes.From(codes.Select(code => new FhirIssue(IssueSeverity.Warning, code, "Noted.")));
        using var json = JsonDocument.Parse(outcome);

        Assert.Equal(codes, json.RootElement.GetProperty("issue").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        Assert.Empty(Validator.Validate(json.RootElement));
    }
}
