using IntegrationHub.Contracts;

namespace IntegrationHub.MunicipalFollowUp.Translation;

/// <summary>
/// The codes of municipal notes (party-interfaces.md) and the hub's own words for them. The words
/// are neutral on purpose: "bruker", "rusmiddelavhengighet", never labels that stigmatise.
/// </summary>
public static class MunicipalVocabulary
{
    public static IReadOnlyDictionary<string, string> Services => FollowUpVocabulary.MunicipalServices;

    public static IReadOnlyDictionary<string, string> Outcomes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reached"] = "Kommunen fikk kontakt med brukeren",
        ["not-reached"] = "Kommunen fikk ikke kontakt med brukeren",
        ["appointment-kept"] = "Brukeren kom til avtalen med kommunen",
        ["appointment-missed"] = "Brukeren kom ikke til avtalen med kommunen",
    };

    public static IReadOnlyDictionary<string, string> Channels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["phone"] = "telefon",
        ["sms"] = "SMS",
        ["office"] = "på kontoret",
        ["home-visit"] = "hjemmebesøk",
        ["outreach"] = "oppsøkende arbeid",
        ["video"] = "video",
    };

    public static IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        EngagementSignal.NoPhone, EngagementSignal.PhoneLost, EngagementSignal.NoPhoneCredit, EngagementSignal.NoInternet,
        EngagementSignal.NoElectronicId, EngagementSignal.NoFixedAddress, EngagementSignal.Hospitalised, EngagementSignal.InTreatment,
        EngagementSignal.AskedToBeCalled, EngagementSignal.WalkedInInstead,
    };

    public static bool IsReached(string outcome) => outcome is "reached" or "appointment-kept";

    /// <summary>The contact status as one neutral sentence. A missed contact is information for a person to act on, never grounds for a sanction.</summary>
    public static string Summarise(string outcome, string channel) =>
        IsReached(outcome)
            ? $"{Outcomes[outcome]} ({Channels[channel]})."
            : $"{Outcomes[outcome]} ({Channels[channel]}). {NeutralWording.NotGroundsForAction}";
}
