using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using IntegrationHub.FirelyReference;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks;

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
