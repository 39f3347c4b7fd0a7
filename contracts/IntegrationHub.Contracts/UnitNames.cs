namespace IntegrationHub.Contracts;

/// <summary>
/// Units as people read them in bokmål: "Oslo kommune (0301)", "NAV-kontoret (0314)". The number is
/// always shown, so a unit whose name the hub does not know is still exact.
/// </summary>
public static class UnitNames
{
    private static readonly Dictionary<string, string> Municipalities = new(StringComparer.Ordinal)
    {
        ["0301"] = "Oslo kommune",
        ["1103"] = "Stavanger kommune",
        ["4601"] = "Bergen kommune",
        ["5001"] = "Trondheim kommune",
    };

    public static string Of(PartyKind kind, string? unit) => (kind, unit) switch
    {
        (PartyKind.Nav, null) => "NAV-kontoret som følger opp saken",
        (PartyKind.Nav, _) => $"NAV-kontoret ({unit})",
        (PartyKind.Municipality, null) => "kommunen",
        (PartyKind.Municipality, _) => Municipalities.TryGetValue(unit, out var name) ? $"{name} ({unit})" : $"kommune ({unit})",
        (PartyKind.GeneralPractitioner, null) => "fastlegen",
        (PartyKind.GeneralPractitioner, _) => $"fastlegekontoret (HER-id {unit})",
        _ => "koordinator",
    };

    public static string Of(PartyReference unit) => Of(unit.Kind, unit.Kind == PartyKind.Coordination ? null : unit.Id);

    public static string Of(ConsentRecipient recipient) => Of(recipient.Party, recipient.Unit);
}
