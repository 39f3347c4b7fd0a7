using System.Diagnostics.Metrics;

namespace IntegrationHub.GpCertificates.Domain;

/// <summary>Counts of certificates by outcome and reason. Tags never carry person data.</summary>
public sealed class CertificateMetrics
{
    public const string MeterName = "IntegrationHub.GpCertificates";

    private readonly Counter<long> _received;

    public CertificateMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("hub.certificates.received", unit: "{certificate}", description: "Certificate Bundles by outcome and reason.");
    }

    /// <param name="outcome">accepted, duplicate or rejected.</param>
    /// <param name="reason">Why, e.g. status-final, profile, conflict, too-large.</param>
    public void Record(string outcome, string reason) =>
        _received.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));
}
