using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.FirelyReference;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub's validator against Firely's (parse and validate against the published profile), warm,
/// each as a ratio to a plain <c>JsonDocument.Parse</c> of the same certificate in the same run.
/// </summary>
[MemoryDiagnoser]
public class FirelyValidationBenchmarks
{
    private readonly string _json = CertificateExamples.Legeerklaering;
    private readonly byte[] _bytes = CertificateExamples.LegeerklaeringBytes;
    private readonly FhirValidationLimits _limits = new();
    private readonly FhirValidator _validator = new();
    private readonly CertificateProfile _profile = new(new PersonIdentifierRules());
    private FirelyProfileValidator _firely = null!;

    [GlobalSetup]
    public void WarmFirely()
    {
        _firely = new FirelyProfileValidator();
        if (!_firely.Validate(_json).Valid)
        {
            throw new InvalidOperationException("Firely finds the example invalid.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse")]
    public JsonValueKind ParseOnly()
    {
        using var document = JsonDocument.Parse(_bytes);
        return document.RootElement.ValueKind;
    }

    [Benchmark(Description = "hub: parse + FHIR R4 + profile")]
    public int Hub()
    {
        FhirJson.TryParse(_bytes, _limits, out var document, out _);
        using (document)
        {
            return _validator.Validate(document!.RootElement).Count + _profile.Check(new CertificateDocument(document.RootElement)).Count;
        }
    }

    [Benchmark(Description = "Firely: parse + validate against the profile")]
    public bool Firely() => _firely.Validate(_json).Valid;
}

/// <summary>
/// The first validation in a new process, each launch its own: what a hub that validated with
/// Firely would pay on its first certificate after a start (building the validator included).
/// </summary>
// The attributes, not the job's arguments, override the suite's default of 5 warm-ups and 15 iterations.
[SimpleJob(RunStrategy.ColdStart, launchCount: 3)]
[WarmupCount(0)]
[IterationCount(1)]
public class FirelyColdStartBenchmarks
{
    private readonly string _json = CertificateExamples.Legeerklaering;

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse, first call")]
    public JsonValueKind ParseOnly()
    {
        using var document = JsonDocument.Parse(_json);
        return document.RootElement.ValueKind;
    }

    [Benchmark(Description = "Firely: build the validator, first validation")]
    public bool FirelyFirst() => new FirelyProfileValidator().Validate(_json).Valid;
}
