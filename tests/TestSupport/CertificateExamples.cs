using System.Text.Json.Nodes;

namespace IntegrationHub.TestSupport;

/// <summary>The shared example certificate (a verbatim copy of ../shared/reference/examples), and mutations of it.</summary>
public static class CertificateExamples
{
    public const string FileName = "certificate-legeerklaering.json";

    public static byte[] LegeerklaeringBytes { get; } = Read(FileName);

    public static string Legeerklaering => System.Text.Encoding.UTF8.GetString(LegeerklaeringBytes);

    /// <summary>A fresh, mutable copy of the example.</summary>
    public static JsonObject LegeerklaeringNode() => JsonNode.Parse(LegeerklaeringBytes)!.AsObject();

    /// <summary>The example after <paramref name="mutate"/>, as JSON text.</summary>
    public static string Mutated(Action<JsonObject> mutate)
    {
        var bundle = LegeerklaeringNode();
        mutate(bundle);
        return bundle.ToJsonString();
    }

    /// <summary>A GP system's usual fault: a timestamp that is not an instant, and no Bundle.type.</summary>
    public static string WithBadTimestampAndNoType() => Mutated(b =>
    {
        b["timestamp"] = "yesterday";
        b.Remove("type");
    });

    /// <summary>A new certificate (its own bundle id) for the person with <paramref name="identifier"/>.</summary>
    /// <param name="issuedAt">The composition's date, to the second; it comes back as the inbox row's OccurredAt, so it can name the certificate there.</param>
    public static string NewFor(string identifier, DateTimeOffset? issuedAt = null) => Mutated(b =>
    {
        b["identifier"]!["value"] = $"urn:uuid:{Guid.NewGuid()}";
        if (issuedAt is { } at)
        {
            b.Resource(0)["date"] = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);
        }

        var patient = b["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == "Patient");
        patient["identifier"]![0]!["value"] = identifier;
    });

    public static JsonObject Resource(this JsonObject bundle, int entry) => bundle["entry"]![entry]!["resource"]!.AsObject();

    private static byte[] Read(string name)
    {
        using var stream = typeof(CertificateExamples).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Example {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
