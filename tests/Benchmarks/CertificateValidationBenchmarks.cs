using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.FirelyReference;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Parse plus full validation (generic FHIR R4 and the certificate profile) of the shared example,
/// by the hub and by Firely's validator against the published profile (warm), each against a plain
/// System.Text.Json parse of the same bytes into a JsonDocument, in the same run; and what answering a
/// rejected certificate costs (the OperationOutcome alone, and parse + validate + answer).
/// </summary>
[MemoryDiagnoser]
public class CertificateValidationBenchmarks
{
    private readonly byte[] _bundle = CertificateExamples.LegeerklaeringBytes;
    private readonly FhirValidationLimits _limits = new();
    private readonly FhirValidator _validator = new();
    private readonly CertificateProfile _profile = new(new PersonIdentifierRules());
    private readonly string _json = CertificateExamples.Legeerklaering;
    private FirelyProfileValidator _firely = null!;

    private readonly byte[] _rejected = Encoding.UTF8.GetBytes(CertificateExamples.WithBadTimestampAndNoType());

    private readonly FhirIssue[] _issues =
    [
        FhirIssue.Error(IssueCode.Value, "Not a valid instant.", "Bundle.timestamp"),
        FhirIssue.Error(IssueCode.Required, "Bundle.type is required.", "Bundle.type"),
        new(IssueSeverity.Warning, IssueCode.CodeInvalid, "The diagnosis code is not in ICPC-2 or ICD-10.", "Bundle.entry[2].resource.code.coding[0].code"),
    ];

    [GlobalSetup]
    public void WarmFirely()
    {
        _firely = new FirelyProfileValidator();
        if (!_firely.Validate(_json).Valid)
        {
            throw new InvalidOperationException("Firely finds the example invalid.");
        }

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

    [Benchmark(Description = "Parse + FHIR R4 validation")]
    public int ParseAndValidateFhir()
    {
        FhirJson.TryParse(_bundle, _limits, out var document, out _);
        using (document)
        {
            return _validator.Validate(document!.RootElement).Count;
        }
    }

    [Benchmark(Description = "Parse + FHIR R4 + profile validation")]
    public int ParseAndValidate()
    {
        if (!FhirJson.TryParse(_bundle, _limits, out var document, out _))
        {
            throw new InvalidOperationException("The example no longer parses.");
        }

        using (document)
        {
            var issues = _validator.Validate(document!.RootElement);
            if (issues.Count > 0)
            {
                throw new InvalidOperationException("The example is no longer valid.");
            }

            return _profile.Check(new CertificateDocument(document.RootElement)).Count;
        }
    }

    [Benchmark(Description = "Firely: parse + validate against the profile")]
    public bool Firely() => _firely.Validate(_json).Valid;

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
