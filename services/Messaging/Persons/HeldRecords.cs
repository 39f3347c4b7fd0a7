using IntegrationHub.Messaging.Validation;

namespace IntegrationHub.Messaging.Persons;

/// <summary>
/// What one module holds about a person, for an access request (innsyn): each record a heading, a
/// time and its facts as label and value in plain bokmål, so the report prints as it is and reads
/// the same as JSON. The module decides the words; the report only lays them out.
/// </summary>
public sealed record HeldRecords(string Module, string Title, string About, IReadOnlyList<HeldRecord> Records);

public sealed record HeldRecord(string Heading, DateTimeOffset? At, IReadOnlyList<HeldFact> Facts);

public sealed record HeldFact(string Label, string Value);

public static class HeldFacts
{
    /// <summary>An instant as people in Norway read it: "12.03.2026 kl. 14.05".</summary>
    public static string Time(DateTimeOffset instant) => NorwegianTime.Format(instant);

    public static string? Time(DateTimeOffset? instant) => instant is { } value ? Time(value) : null;

    public static string Date(DateOnly day) => NorwegianTime.Format(day);

    /// <summary>The facts that have a value; an absent one is left out rather than shown empty.</summary>
    public static IReadOnlyList<HeldFact> Of(params (string Label, string? Value)[] facts) =>
        facts.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => new HeldFact(f.Label, f.Value!)).ToList();
}
