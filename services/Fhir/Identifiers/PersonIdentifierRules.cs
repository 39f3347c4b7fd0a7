namespace IntegrationHub.Fhir.Identifiers;

/// <summary>Switches for identifier validation that differ between environments and over time.</summary>
public sealed record PersonIdentifierRules
{
    public static PersonIdentifierRules Production { get; } = new();

    /// <summary>Synthetic test persons (month + 40 from NAV, month + 80 from Tenor); never in production.</summary>
    public bool AcceptSynthetic { get; init; }

    /// <summary>Skatteetaten's rule from 2032: the first check's remainder may be 0-3, not only 0.</summary>
    public bool Allow2032CheckDigits { get; init; }
}
