using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace IntegrationHub.Fhir.Validation;

/// <summary>Writes the hub's own FHIR resources with Firely's model and serializer.</summary>
public static class FhirResourceWriter
{
    // Relaxed escaping keeps Norwegian letters readable; the body is served as JSON, never as HTML.
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToJson(Resource resource)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            FhirJsonSerializer.Default.Serialize(resource, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
