using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// What writing the answer to a rejected certificate costs: the OperationOutcome alone, and the
/// whole rejection (parse, validate, answer), each against the plain parse of the shared example.
/// </summary>
[MemoryDiagnoser]
public class OperationOutcomeBenchmarks
{
    private readonly byte[] _bundle = CertificateExamples.LegeerklaeringBytes;
    private readonly FhirValidationLimits _limits = new();
    private readonly FhirValidator _validator = new();

    // A GP system's usual fault: the dates and a code in one certificate, three issues in one answer.
    private readonly byte[] _rejected = Broken();

    private readonly FhirIssue[] _issues =
    [
        FhirIssue.Error(IssueCode.Value, "Not a valid instant.", "Bundle.timestamp"),
        FhirIssue.Error(IssueCode.Required, "Bundle.type is required.", "Bundle.type"),
        new(IssueSeverity.Warning, IssueCode.CodeInvalid, "The diagnosis code is not in ICPC-2 or ICD-10.", "Bundle.entry[2].resource.code.coding[0].code"),
    ];

    private static byte[] Broken()
    {
        var bundle = CertificateExamples.LegeerklaeringNode();
        bundle["timestamp"] = "yesterday";
        bundle.Remove("type");
        return JsonSerializer.SerializeToUtf8Bytes(bundle);
    }

    [GlobalSetup]
    public void CheckTheRejection()
    {
        if (Reject() == 0)
        {
            throw new InvalidOperationException("The broken example is accepted.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse")]
    public JsonValueKind ParseOnly()
    {
        using var document = JsonDocument.Parse(_bundle);
        return document.RootElement.ValueKind;
    }

    [Benchmark(Description = "OperationOutcome, 3 issues")]
    public int WriteOutcome() => OperationOutcomes.From(_issues).Length;

    [Benchmark(Description = "Reject: parse + validate + OperationOutcome")]
    public int Reject()
    {
        FhirJson.TryParse(_rejected, _limits, out var document, out _);
        using (document)
        {
            var issues = _validator.Validate(document!.RootElement);
            return issues.Count == 0 ? 0 : OperationOutcomes.From(issues).Length;
        }
    }
}
