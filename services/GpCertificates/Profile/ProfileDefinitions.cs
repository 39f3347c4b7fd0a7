using System.Text.Json;

namespace IntegrationHub.GpCertificates.Profile;

/// <summary>
/// The certificate profile as FHIR conformance resources (StructureDefinitions, ValueSets,
/// CodeSystems), compiled from <c>Profile/fsh</c> by SUSHI and embedded here, so GP vendors can
/// check their output against it with the standard HL7 tools.
/// </summary>
public static class ProfileDefinitions
{
    public const string Canonical = "https://integration-hub.no/fhir";

    public const string BundleProfile = Canonical + "/StructureDefinition/certificate-bundle";

    /// <summary>Each resource's JSON, by <c>{resourceType}/{id}</c>, served at <c>/fhir/{resourceType}/{id}</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> All { get; } = Load();

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = typeof(ProfileDefinitions).Assembly;
        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("profile/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var json = copy.ToArray();
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            resources.Add($"{root.GetProperty("resourceType").GetString()}/{root.GetProperty("id").GetString()}", json);
        }

        return resources;
    }
}
