using System.Text.Json;

namespace IntegrationHub.Fhir.Validation;

/// <summary>Parses a request body as strict JSON (no comments, no trailing commas), within the depth limit.</summary>
public static class FhirJson
{
    public static bool TryParse(ReadOnlyMemory<byte> body, FhirValidationLimits limits, out JsonDocument? document, out FhirIssue? problem)
    {
        document = null;
        problem = null;
        // JsonDocument decodes strings lazily: invalid UTF-8 inside one would only fail later, mid-validation.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            problem = FhirIssue.Error(IssueCode.Structure, "The body is not valid UTF-8.");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
            return true;
        }
        catch (JsonException ex)
        {
            problem = ExceedsDepth(body.Span, limits.MaxDepth)
                ? FhirIssue.Error(IssueCode.TooCostly, $"The JSON is nested deeper than {limits.MaxDepth} levels.")
                : FhirIssue.Error(IssueCode.Structure, $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
            return false;
        }
    }

    private static bool ExceedsDepth(ReadOnlySpan<byte> body, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= maxDepth)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            return reader.CurrentDepth >= maxDepth;
        }

        return false;
    }
}
