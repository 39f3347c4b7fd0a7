namespace IntegrationHub.Fhir.Validation;

/// <summary>Bounds that keep hostile input cheap to reject. Real certificates stay far inside them.</summary>
public sealed class FhirValidationLimits
{
    /// <summary>JSON nesting; a certificate Bundle is about 10 deep.</summary>
    public int MaxDepth { get; set; } = 40;

    public int MaxArrayLength { get; set; } = 1000;

    /// <summary>Characters in one string value (narrative included).</summary>
    public int MaxStringLength { get; set; } = 100_000;

    /// <summary>Issues reported before validation stops.</summary>
    public int MaxIssues { get; set; } = 100;
}
