using IntegrationHub.Contracts;

namespace IntegrationHub.Consent.Domain;

/// <summary>The codes of the consent API (party-interfaces.md).</summary>
public static class ConsentVocabulary
{
    public const string CoordinatedFollowUp = "coordinated-follow-up";

    public static IReadOnlySet<string> Purposes { get; } = new HashSet<string>(StringComparer.Ordinal) { CoordinatedFollowUp };

    public static IReadOnlyDictionary<string, PartyKind> Recipients { get; } = new Dictionary<string, PartyKind>(StringComparer.Ordinal)
    {
        ["nav"] = PartyKind.Nav,
        ["municipality"] = PartyKind.Municipality,
        ["gp"] = PartyKind.GeneralPractitioner,
    };

    public const string Digital = "digital";
    public const string InPerson = "in-person";
    public const string Phone = "phone";

    /// <summary>How consent was given. Never only digital: people without BankID must be able to consent.</summary>
    public static IReadOnlySet<string> Channels { get; } = new HashSet<string>(StringComparer.Ordinal) { Digital, InPerson, Phone };

    /// <summary>In person and by phone there is no signature, so a named witness is required.</summary>
    public static bool NeedsWitness(string channel) => channel is InPerson or Phone;

    public static string CodeOf(PartyKind recipient) => Recipients.Single(r => r.Value == recipient).Key;
}
