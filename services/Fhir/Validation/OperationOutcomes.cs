using System.Text.Json;

namespace IntegrationHub.Fhir.Validation;

/// <summary>Writes FHIR OperationOutcome resources; one issue per fault.</summary>
public static class OperationOutcomes
{
    public const string ContentType = "application/fhir+json";

    public static byte[] From(IEnumerable<FhirIssue> issues)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps Norwegian letters readable; the body is served as JSON, never as HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "OperationOutcome");
            writer.WriteStartArray("issue");
            foreach (var issue in issues)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", issue.Severity.ToString().ToLowerInvariant());
                writer.WriteString("code", issue.Code);
                writer.WriteString("diagnostics", issue.Diagnostics);
                if (issue.Expression is not null)
                {
                    writer.WriteStartArray("expression");
                    writer.WriteStringValue(issue.Expression);
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
