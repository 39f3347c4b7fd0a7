using System.Text;

namespace IntegrationHub.GpCertificates.Endpoints;

/// <summary>What ordinary FHIR clients discover at /fhir/metadata.</summary>
internal static class CapabilityStatement
{
    public static byte[] Json { get; } = Encoding.UTF8.GetBytes("""
        {
          "resourceType": "CapabilityStatement",
          "status": "active",
          "date": "2026-11-22",
          "publisher": "IntegrationHub",
          "kind": "instance",
          "software": { "name": "IntegrationHub" },
          "implementation": { "description": "IntegrationHub: medical certificates from GP systems" },
          "fhirVersion": "4.0.1",
          "format": [ "json" ],
          "rest": [ {
            "mode": "server",
            "documentation": "Medical certificates (sykmelding, legeerklæring) as document Bundles, per the hub's certificate profile.",
            "security": { "description": "OAuth2 bearer token (HelseID) with the gp-system role and the sender's HER-id." },
            "resource": [ {
              "type": "Bundle",
              "profile": "https://integration-hub.no/fhir/StructureDefinition/certificate-bundle",
              "supportedProfile": [ "https://integration-hub.no/fhir/StructureDefinition/certificate-bundle" ],
              "interaction": [ { "code": "create" }, { "code": "read" } ]
            }, {
              "type": "StructureDefinition",
              "documentation": "The certificate profile: certificate-bundle and the profiles it names.",
              "interaction": [ { "code": "read" } ]
            }, {
              "type": "ValueSet",
              "interaction": [ { "code": "read" } ]
            }, {
              "type": "CodeSystem",
              "interaction": [ { "code": "read" } ]
            } ]
          } ]
        }
        """);
}
