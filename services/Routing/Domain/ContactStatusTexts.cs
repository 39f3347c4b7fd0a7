using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Domain;

/// <summary>The contact status of NAV's signals in plain, neutral bokmål. A missed contact is information, never grounds for a sanction.</summary>
public static class ContactStatusTexts
{
    private static readonly Dictionary<string, string> Channels = new(StringComparer.Ordinal)
    {
        ["phone"] = "telefon",
        ["physical"] = "fysisk møte",
        ["home-visit"] = "hjemmebesøk",
        ["video"] = "video",
    };

    /// <summary>Whether the signal says something about contact with the person (the rest are reach signals).</summary>
    public static bool IsContactStatus(string signal) =>
        signal is EngagementSignal.ContactSucceeded or EngagementSignal.ContactFailed or EngagementSignal.MeetingAttended or EngagementSignal.MeetingMissed;

    /// <summary>Null for a signal that is not contact status (messages, meldekort: those go to coordination).</summary>
    public static string? ForNavSignal(string signal, string? channel)
    {
        var how = channel is not null && Channels.TryGetValue(channel, out var label) ? $" ({label})" : string.Empty;
        return signal switch
        {
            EngagementSignal.ContactSucceeded => $"NAV fikk kontakt med brukeren{how}.",
            EngagementSignal.ContactFailed => $"NAV fikk ikke kontakt med brukeren{how}. {NeutralWording.NotGroundsForAction}",
            EngagementSignal.MeetingAttended => "Brukeren kom til møtet med NAV.",
            EngagementSignal.MeetingMissed => $"Brukeren kom ikke til møtet med NAV. {NeutralWording.NotGroundsForAction}",
            _ => null,
        };
    }
}
