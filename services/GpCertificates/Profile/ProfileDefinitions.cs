using Hl7.Fhir.Serialization;
using IntegrationHub.Fhir.Validation;

namespace IntegrationHub.GpCertificates.Profile;

/// <summary>
/// The certificate profile as FHIR conformance resources (StructureDefinitions, ValueSets,
/// CodeSystems), compiled from <c>Profile/fsh</c> by SUSHI and embedded here, so GP vendors can
/// check their output against it with the standard HL7 tools. Each is read into Firely's model
/// (which refuses what is not R4) and served as Firely writes it.
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
        var parser = new FhirJsonDeserializer();
        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("profile/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var resource = parser.DeserializeResource(reader.ReadToEnd());
            resources.Add($"{resource.TypeName}/{resource.Id}", FhirResourceWriter.ToJson(resource));
        }

        return resources;
    }
}
