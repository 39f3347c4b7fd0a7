using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Domain;

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

    /// <summary>As stored: <c>nav</c>, <c>municipality:0301</c>, <c>gp:90128</c>.</summary>
    public static string Format(ConsentRecipient recipient) =>
        recipient.Unit is null ? CodeOf(recipient.Party) : $"{CodeOf(recipient.Party)}:{recipient.Unit}";

    public static ConsentRecipient Parse(string stored)
    {
        var separator = stored.IndexOf(':', StringComparison.Ordinal);
        return separator < 0
            ? new ConsentRecipient(Recipients[stored], null)
            : new ConsentRecipient(Recipients[stored[..separator]], stored[(separator + 1)..]);
    }

    /// <summary>
    /// Why <paramref name="unit"/> is not a unit of <paramref name="party"/>, or null when it is. A
    /// municipality and a GP must be named; NAV without a unit is the agency (whichever office follows the case).
    /// </summary>
    public static string? UnitError(PartyKind party, string? unit) => party switch
    {
        PartyKind.Municipality when unit is null => "Name the municipality: its 4-digit municipality number, e.g. 0301.",
        PartyKind.Municipality when !IsDigits(unit, 4, 4) => "A municipality number has 4 digits, e.g. 0301.",
        PartyKind.GeneralPractitioner when unit is null => "Name the GP's organisation: its HER-id, e.g. 90128.",
        PartyKind.GeneralPractitioner when !IsDigits(unit, 1, 9) => "A HER-id is 1 to 9 digits, e.g. 90128.",
        PartyKind.Nav when unit is not null && !IsDigits(unit, 4, 4) => "A NAV office has a 4-digit unit number, e.g. 0314; leave it out to mean the office that follows the case.",
        _ => null,
    };

    private static bool IsDigits(string value, int min, int max) => value.Length >= min && value.Length <= max && value.All(char.IsAsciiDigit);
}
