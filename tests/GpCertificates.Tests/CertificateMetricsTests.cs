using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IntegrationHub.GpCertificates.Domain;
using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

public sealed class CertificateMetricsTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<(string Outcome, string Reason), long> _counts = new();
    private readonly MeterListener _listener = new();
    private CertificateClient _gp = null!;

    public async Task InitializeAsync()
    {
        _gp = await CertificateClient.StartAsync("--modules", "gp-certificates");
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this test's hub: each hub creates its own meter through its own IMeterFactory.
            if (instrument.Meter.Name == CertificateMetrics.MeterName && instrument.Meter.Scope == _gp.Hub.Services.GetService(typeof(IMeterFactory)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var outcome = tags.ToArray().Single(t => t.Key == "outcome").Value!.ToString()!;
            var reason = tags.ToArray().Single(t => t.Key == "reason").Value!.ToString()!;
            _counts.AddOrUpdate((outcome, reason), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _gp.DisposeAsync();
    }

    [Fact]
    public async Task Accepted_duplicate_and_rejected_certificates_are_counted_by_reason()
    {
        await _gp.PostAsync(CertificateExamples.Legeerklaering);
        await _gp.PostAsync(CertificateExamples.Legeerklaering);
        await _gp.PostAsync("not json");
        await _gp.PostAsync(CertificateExamples.Mutated(b => b.Resource(5)["status"] = "preliminary"));
        await _gp.PostAsync(CertificateExamples.Mutated(b => b.Resource(1)["nickname"] = "x"));
        await _gp.PostAsync(CertificateExamples.Legeerklaering, contentType: "text/plain");

        Assert.Equal(1, _counts.GetValueOrDefault(("accepted", "status-final")));
        Assert.Equal(1, _counts.GetValueOrDefault(("duplicate", "same-content")));
        Assert.Equal(1, _counts.GetValueOrDefault(("rejected", "not-json")));
        Assert.Equal(1, _counts.GetValueOrDefault(("rejected", "profile")));
        Assert.Equal(1, _counts.GetValueOrDefault(("rejected", "fhir")));
        Assert.Equal(1, _counts.GetValueOrDefault(("rejected", "content-type")));
    }
}
