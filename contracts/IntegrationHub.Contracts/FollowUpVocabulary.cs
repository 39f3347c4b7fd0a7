namespace IntegrationHub.Contracts;

/// <summary>
/// The codes of human follow-up with their plain bokmål labels: shared by coordination's API and
/// the staff pages, so a channel or outcome reads the same everywhere.
/// </summary>
public static class FollowUpVocabulary
{
    /// <summary>The channels a person can agree to be followed through; never digital by default.</summary>
    public static IReadOnlyDictionary<string, string> ProfileChannels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dialogue"] = "dialog i aktivitetsplanen",
        ["sms"] = "SMS",
        ["phone"] = "telefon",
        ["video"] = "video",
        ["physical-meeting"] = "fysisk møte",
        ["home-visit"] = "hjemmebesøk",
    };

    /// <summary>The municipal services that follow people.</summary>
    public static IReadOnlyDictionary<string, string> MunicipalServices { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["addiction"] = "oppfølging ved rusmiddelavhengighet",
        ["mental-health"] = "psykisk helsetjeneste",
        ["housing"] = "boligtjenesten",
        ["other"] = "annen kommunal tjeneste",
    };

    /// <summary>How a coordinator tried to reach the person.</summary>
    public static IReadOnlyDictionary<string, string> AttemptChannels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["phone"] = "telefon",
        ["sms"] = "SMS",
        ["home-visit"] = "hjemmebesøk",
        ["office"] = "på kontoret",
        ["via-municipal-contact"] = "via kommunens kontaktperson",
        ["via-treatment-place"] = "via behandlingsstedet",
    };

    public static IReadOnlyDictionary<string, string> AttemptOutcomes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reached"] = "nådd",
        ["not-reached"] = "ikke nådd",
        ["message-left"] = "la igjen beskjed",
    };

    public static IReadOnlyDictionary<string, string> Resolutions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reached"] = "Brukeren er nådd",
        ["handed-to-municipal-contact"] = "Oppfølgingen er overlatt til kommunens kontaktperson",
        ["person-declined"] = "Brukeren ønsker ikke mer oppfølging nå",
        ["moved"] = "Brukeren har flyttet",
        ["died"] = "Koordinator har avsluttet oppfølgingen",
    };
}
