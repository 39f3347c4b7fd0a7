using System.Text.Json;

namespace IntegrationHub.GpCertificates.Validation;

/// <summary>One entry of the certificate Bundle, with its FHIRPath expression.</summary>
public sealed record BundleEntry(int Index, string? FullUrl, string ResourceType, JsonElement Resource)
{
    public string Expression => $"Bundle.entry[{Index}].resource";
}

/// <summary>
/// Read-only view of a certificate Bundle that has passed generic FHIR validation, so every shape
/// the base definitions require can be assumed; the profile's own demands are checked by rules.
/// </summary>
public sealed class CertificateDocument
{
    public const string KindSystem = "urn:integration-hub:fhir:certificate-kind";
    public const string SectionSystem = "urn:integration-hub:fhir:certificate-section";
    public const string ObservationSystem = "urn:integration-hub:fhir:observation";
    public const string WorkIncapacityCode = "work-incapacity";

    private readonly Dictionary<string, BundleEntry> _byFullUrl = new(StringComparer.Ordinal);

    public CertificateDocument(JsonElement bundle)
    {
        Bundle = bundle;
        var entries = new List<BundleEntry>();
        if (bundle.TryGetProperty("entry", out var array))
        {
            var index = 0;
            foreach (var entry in array.EnumerateArray())
            {
                if (entry.TryGetProperty("resource", out var resource))
                {
                    var item = new BundleEntry(index, Text(entry, "fullUrl"), Text(resource, "resourceType")!, resource);
                    entries.Add(item);
                    if (item.FullUrl is not null)
                    {
                        _byFullUrl.TryAdd(item.FullUrl, item);
                    }
                }

                index++;
            }
        }

        Entries = entries;
    }

    public JsonElement Bundle { get; }

    public IReadOnlyList<BundleEntry> Entries { get; }

    public BundleEntry? Composition => Entries is [{ Index: 0, ResourceType: "Composition" } first, ..] ? first : null;

    public BundleEntry? Patient => Composition is { } c ? Resolve(c.Resource, "subject") : null;

    public string? Status => Composition is { } c ? Text(c.Resource, "status") : null;

    /// <summary>The entry a Reference property points to, or null.</summary>
    public BundleEntry? Resolve(JsonElement owner, string referenceProperty) =>
        owner.TryGetProperty(referenceProperty, out var reference) ? ResolveReference(reference) : null;

    public BundleEntry? ResolveReference(JsonElement reference) =>
        Text(reference, "reference") is { } target && _byFullUrl.TryGetValue(target, out var entry) ? entry : null;

    /// <summary>The Composition's sections with their index and section code.</summary>
    public IEnumerable<(int Index, string? Code, JsonElement Section)> Sections()
    {
        if (Composition is not { } composition || !composition.Resource.TryGetProperty("section", out var sections))
        {
            yield break;
        }

        var index = 0;
        foreach (var section in sections.EnumerateArray())
        {
            yield return (index, CodeIn(section, "code", SectionSystem), section);
            index++;
        }
    }

    public (int Index, JsonElement Section)? Section(string code) =>
        Sections().Where(s => s.Code == code).Select(s => ((int, JsonElement)?)(s.Index, s.Section)).FirstOrDefault();

    public static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The code of the first coding with <paramref name="system"/> in a CodeableConcept property.</summary>
    public static string? CodeIn(JsonElement element, string property, string system) =>
        Codings(element, property).Where(c => Text(c, "system") == system).Select(c => Text(c, "code")).FirstOrDefault();

    public static IEnumerable<JsonElement> Codings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var concept) && concept.TryGetProperty("coding", out var codings)
            ? codings.EnumerateArray()
            : [];

    public static IEnumerable<(int Index, JsonElement Item)> Array(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select((item, index) => (index, item))
            : [];
}
