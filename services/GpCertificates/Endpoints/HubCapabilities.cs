using Hl7.Fhir.Model;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.GpCertificates.Profile;
using static Hl7.Fhir.Model.CapabilityStatement;

namespace IntegrationHub.GpCertificates.Endpoints;

/// <summary>What ordinary FHIR clients discover at /fhir/metadata; written once, by Firely's serializer.</summary>
internal static class HubCapabilities
{
    public static byte[] Json { get; } = FhirResourceWriter.ToJson(Describe());

    private static Hl7.Fhir.Model.CapabilityStatement Describe() => new()
    {
        Status = PublicationStatus.Active,
        Date = "2026-11-22",
        Publisher = "IntegrationHub",
        Kind = CapabilityStatementKind.Instance,
        Software = new SoftwareComponent { Name = "IntegrationHub" },
        Implementation = new ImplementationComponent { Description = "IntegrationHub: medical certificates from GP systems" },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["json"],
        Rest =
        [
            new RestComponent
            {
                Mode = RestfulCapabilityMode.Server,
                Documentation = "Medical certificates (sykmelding, legeerklæring) as document Bundles, per the hub's certificate profile.",
                Security = new SecurityComponent { Description = "OAuth2 bearer token (HelseID) with the gp-system role and the sender's HER-id." },
                Resource =
                [
                    new ResourceComponent
                    {
                        Type = "Bundle",
                        Profile = ProfileDefinitions.BundleProfile,
                        SupportedProfile = [ProfileDefinitions.BundleProfile],
                        Interaction = [Interaction(TypeRestfulInteraction.Create), Interaction(TypeRestfulInteraction.Read)],
                    },
                    new ResourceComponent
                    {
                        Type = "StructureDefinition",
                        Documentation = "The certificate profile: certificate-bundle and the profiles it names.",
                        Interaction = [Interaction(TypeRestfulInteraction.Read)],
                    },
                    new ResourceComponent { Type = "ValueSet", Interaction = [Interaction(TypeRestfulInteraction.Read)] },
                    new ResourceComponent { Type = "CodeSystem", Interaction = [Interaction(TypeRestfulInteraction.Read)] },
                ],
            },
        ],
    };

    private static ResourceInteractionComponent Interaction(TypeRestfulInteraction code) => new() { Code = code };
}
