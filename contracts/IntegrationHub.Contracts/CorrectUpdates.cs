namespace IntegrationHub.Contracts;

/// <summary>
/// Command to a recipient's adapter, on its delivery queue: the source corrected what these updates
/// carried, so wherever they reached (inbox, timeline, handover summary, webhook) their content goes
/// and a marker in bokmål says why. Read or not, for a correction the recipient must not act on the old content.
/// </summary>
/// <param name="Correction"><see cref="WithdrawnBySource"/> (FHIR entered-in-error) or <see cref="Replaced"/> (amended).</param>
public sealed record CorrectUpdates(
    Guid CorrectionId,
    PersonReference Person,
    PartyReference Recipient,
    IReadOnlyList<Guid> UpdateIds,
    string Correction,
    DateTimeOffset At)
{
    public const string WithdrawnBySource = "withdrawn-by-source";
    public const string Replaced = "replaced";

    /// <summary>What the recipient's staff read instead of the content.</summary>
    public static string Text(string correction) => correction switch
    {
        Replaced => "Erstattet av en rettet versjon fra fastlegen",
        _ => "Trukket tilbake av fastlegen",
    };
}
