using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace IntegrationHub.Fhir.Validation;

/// <summary>
/// Writes FHIR OperationOutcomes with Firely's model, one issue per fault.
/// The validator keeps its own <see cref="FhirIssue"/>: it runs on every certificate, the model only for an answer.
/// </summary>
public static class OperationOutcomes
{
    public const string ContentType = "application/fhir+json";

    public static byte[] From(IEnumerable<FhirIssue> issues)
    {
        var outcome = new OperationOutcome();
        foreach (var issue in issues)
        {
            var component = new OperationOutcome.IssueComponent
            {
                Severity = Severity(issue.Severity),
                Code = IssueType(issue.Code),
                Diagnostics = issue.Diagnostics,
            };
            if (issue.Expression is not null)
            {
                component.Expression = [issue.Expression];
            }

            outcome.Issue.Add(component);
        }

        return FhirResourceWriter.ToJson(outcome);
    }

    private static OperationOutcome.IssueSeverity Severity(IssueSeverity severity) => severity switch
    {
        IssueSeverity.Fatal => OperationOutcome.IssueSeverity.Fatal,
        IssueSeverity.Error => OperationOutcome.IssueSeverity.Error,
        IssueSeverity.Warning => OperationOutcome.IssueSeverity.Warning,
        _ => OperationOutcome.IssueSeverity.Information,
    };

    /// <summary>The issue-type code as Firely's enum; <see cref="IssueCode"/> holds only codes of that value set.</summary>
    private static OperationOutcome.IssueType IssueType(string code) =>
        EnumUtility.ParseLiteral<OperationOutcome.IssueType>(code)
        ?? throw new ArgumentException($"'{code}' is not a FHIR issue type.", nameof(code));
}
