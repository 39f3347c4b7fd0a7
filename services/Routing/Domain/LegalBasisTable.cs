namespace IntegrationHub.Routing.Domain;

public static class Basis
{
    public const string Statutory = "statutory";
    public const string Consent = "consent";
    public const string TaskNecessity = "task-necessity";
}

/// <summary>One row of the legal-basis table: from a source, to a recipient, a category may go on this basis.</summary>
public sealed class LegalBasisRule
{
    /// <summary>gp, nav, municipality or coordination.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>nav, municipality or coordinator.</summary>
    public string Recipient { get; set; } = string.Empty;

    public string Category { get; set; } = string.Empty;

    /// <summary>statutory, consent or task-necessity.</summary>
    public string Basis { get; set; } = string.Empty;

    /// <summary>Shown to people: the law, or "samtykke".</summary>
    public string Reference { get; set; } = string.Empty;
}

/// <summary>
/// Who may get what. Configuration (<c>Routing:LegalBases</c>) replaces the whole table; these are the
/// defaults of party-interfaces.md. A category with no row for a recipient is never shared with it.
/// </summary>
public sealed class LegalBasisTable(IReadOnlyList<LegalBasisRule> rules)
{
    public const string ConsentReference = "samtykke";
    private const string Ftrl214 = "folketrygdloven § 21-4";
    private const string Task = "nødvendig for oppfølgingen (koordinering)";

    public static IReadOnlyList<LegalBasisRule> Defaults { get; } =
    [
        Rule("gp", "nav", "work-capacity", Basis.Statutory, Ftrl214),
        Rule("gp", "nav", "diagnosis", Basis.Statutory, Ftrl214),
        Rule("gp", "nav", "medical-assessment", Basis.Statutory, Ftrl214),
        Rule("gp", "municipality", "work-capacity", Basis.Consent, ConsentReference),
        Rule("gp", "municipality", "diagnosis", Basis.Consent, ConsentReference),
        Rule("gp", "municipality", "medical-assessment", Basis.Consent, ConsentReference),
        Rule("municipality", "nav", "contact-status", Basis.Consent, ConsentReference),
        Rule("municipality", "nav", "follow-up-notes", Basis.Consent, ConsentReference),
        Rule("nav", "municipality", "contact-status", Basis.Consent, ConsentReference),
        Rule("nav", "municipality", "case-status", Basis.Consent, ConsentReference),
        Rule("gp", "coordinator", "contact-status", Basis.TaskNecessity, Task),
        Rule("nav", "coordinator", "contact-status", Basis.TaskNecessity, Task),
        Rule("nav", "coordinator", "reach-signals", Basis.TaskNecessity, Task),
        Rule("municipality", "coordinator", "contact-status", Basis.TaskNecessity, Task),
        Rule("municipality", "coordinator", "reach-signals", Basis.TaskNecessity, Task),
        Rule("coordination", "nav", "contact-status", Basis.TaskNecessity, Task),
        Rule("coordination", "municipality", "contact-status", Basis.TaskNecessity, Task),
    ];

    public IReadOnlyList<LegalBasisRule> Rules => rules;

    public LegalBasisRule? Find(string source, string recipient, string category) =>
        rules.FirstOrDefault(r => r.Source == source && r.Recipient == recipient && r.Category == category);

    private static LegalBasisRule Rule(string source, string recipient, string category, string basis, string reference) =>
        new() { Source = source, Recipient = recipient, Category = category, Basis = basis, Reference = reference };
}
