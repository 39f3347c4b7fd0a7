namespace IntegrationHub.Fhir.Validation;

public enum IssueSeverity
{
    Fatal,
    Error,
    Warning,
    Information,
}

/// <summary>FHIR issue-type codes the hub uses (http://hl7.org/fhir/ValueSet/issue-type).</summary>
public static class IssueCode
{
    public const string Invalid = "invalid";
    public const string Structure = "structure";
    public const string Required = "required";
    public const string Value = "value";
    public const string CodeInvalid = "code-invalid";
    public const string NotFound = "not-found";
    public const string Duplicate = "duplicate";
    public const string TooCostly = "too-costly";
    public const string TooLong = "too-long";
    public const string BusinessRule = "business-rule";
    public const string Conflict = "conflict";
    public const string Security = "security";
    public const string Forbidden = "forbidden";
    public const string NotSupported = "not-supported";
    public const string Informational = "informational";
    public const string Exception = "exception";
    public const string Login = "login";
}

/// <summary>One fault, or note, for an OperationOutcome. Diagnostics never repeat a caller's values.</summary>
/// <param name="Expression">FHIRPath to the element, e.g. <c>Bundle.entry[1].resource.identifier[0].value</c>.</param>
public sealed record FhirIssue(IssueSeverity Severity, string Code, string Diagnostics, string? Expression = null)
{
    public static FhirIssue Error(string code, string diagnostics, string? expression = null) =>
        new(IssueSeverity.Error, code, diagnostics, expression);
}
