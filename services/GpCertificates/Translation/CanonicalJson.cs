using System.Security.Cryptography;
using System.Text.Json;

namespace IntegrationHub.GpCertificates.Translation;

/// <summary>
/// A hash of a JSON document's content, independent of white space and property order, so the
/// same certificate sent again with other formatting is still recognised as a duplicate.
/// </summary>
public static class CanonicalJson
{
    public static string Hash(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                // Strings are re-escaped by the writer; numbers keep their text (1.0 and 1 differ in FHIR).
                element.WriteTo(writer);
                break;
        }
    }
}
