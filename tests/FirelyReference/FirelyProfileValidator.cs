using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using IntegrationHub.GpCertificates.Profile;

namespace IntegrationHub.FirelyReference;

/// <summary>
/// Firely's validator with the FHIR R4 specification and the hub's compiled profile: the reference
/// the hub's own validator is tested against.
/// </summary>
public sealed class FirelyProfileValidator
{
    private readonly Validator _validator;
    private readonly FhirJsonDeserializer _parser = new();

    public FirelyProfileValidator()
    {
        var parser = new FhirJsonDeserializer();
        var profile = new InMemoryResourceResolver(ProfileDefinitions.All.Values.Select(json => parser.DeserializeResource(System.Text.Encoding.UTF8.GetString(json))));
        var resolver = new CachedResolver(new SnapshotSource(new MultiResolver(profile, ZipSource.CreateValidationSource())));
        _validator = new Validator(resolver, new LocalTerminologyService(resolver), null, new ValidationSettings
        {
            // HL7 Norway's no-basis profiles, which certificates may name, cannot be had offline
            // (packages.fhir.org is out of reach here, npm does not carry them). Only profiles of
            // FHIR itself and of the hub are followed; the hub checks the no-basis identifiers itself.
            SelectValidationProfiles = (_, profiles, _, _) => profiles.Where(Followed).ToArray(),
        });
    }

    public const string NoBasisPrefix = "http://hl7.no/fhir/StructureDefinition/";

    private static bool Followed(Firely.Fhir.Validation.Canonical profile) => !profile.Original.StartsWith(NoBasisPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The verdict and, when invalid, why: Firely's errors (parse errors included). The profile is the
    /// certificate Bundle's unless another canonical is given, e.g. a core resource's.
    /// </summary>
    public (bool Valid, IReadOnlyList<string> Errors) Validate(string json, string profile = ProfileDefinitions.BundleProfile) =>
        Validate(System.Text.Encoding.UTF8.GetBytes(json), profile);

    /// <summary>As above, from the bytes a GP system sent: what is not UTF-8 or not JSON is a parse error.</summary>
    public (bool Valid, IReadOnlyList<string> Errors) Validate(ReadOnlySpan<byte> utf8, string profile = ProfileDefinitions.BundleProfile)
    {
        Resource resource;
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(utf8);
            resource = _parser.DeserializeResource(ref reader);
            if (reader.Read())
            {
                return (false, ["parse: content after the resource"]);
            }
        }
        catch (DeserializationFailedException e)
        {
            return (false, e.Exceptions.Select(x => "parse: " + x.Message).ToList());
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // Invalid UTF-8 surfaces as InvalidOperationException when a string is read.
            return (false, ["parse: " + e.Message]);
        }

        var outcome = _validator.Validate(resource, profile);
        var errors = outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{string.Join(",", i.Expression ?? [])}: {i.Details?.Text ?? i.Diagnostics}")
            .ToList();
        return (errors.Count == 0, errors);
    }
}
