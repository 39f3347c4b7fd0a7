using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.NavCases.Tests;

/// <summary>NAV case events as NAV's case system sends them (party-interfaces.md).</summary>
public static class NavEventBuilder
{
    public const string Kari = "12039140045";
    public const string Office = "0314";
    public const string Advisor = "Z990123";

    public static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static JsonObject Event(string type, DateTimeOffset occurredAt, string caseId = "AAP-2026-000123", string person = Kari, string office = Office, Guid? id = null) => new()
    {
        ["eventId"] = (id ?? Guid.NewGuid()).ToString(),
        ["type"] = type,
        ["occurredAt"] = Instant(occurredAt),
        ["person"] = new JsonObject { ["identifier"] = person },
        ["caseId"] = caseId,
        ["navOffice"] = office,
        ["advisor"] = Advisor,
    };

    public static JsonObject CaseOpened(DateTimeOffset at, string caseId = "AAP-2026-000123", string person = Kari, string office = Office, string advisor = Advisor)
    {
        var ev = Event("case-opened", at, caseId, person, office);
        ev["caseType"] = "arbeidsavklaring";
        ev["advisor"] = advisor;
        return ev;
    }

    public static JsonObject AdvisorAssigned(DateTimeOffset at, string advisor, string? previous = null, string caseId = "AAP-2026-000123")
    {
        var ev = Event("advisor-assigned", at, caseId);
        ev["advisor"] = advisor;
        if (previous is not null)
        {
            ev["previousAdvisor"] = previous;
        }

        return ev;
    }

    public static JsonObject MessageSent(DateTimeOffset at, string messageId)
    {
        var ev = Event("message-sent", at);
        ev["messageId"] = messageId;
        ev["channel"] = "activity-plan-dialogue";
        return ev;
    }

    public static JsonObject MeetingMissed(DateTimeOffset at, string meetingId)
    {
        var ev = Event("meeting-missed", at);
        ev["meetingId"] = meetingId;
        return ev;
    }

    public static JsonObject StatusCardMissed(DateTimeOffset at)
    {
        var ev = Event("employment-status-card-missed", at);
        var start = DateOnly.FromDateTime(at.UtcDateTime).AddDays(-14);
        ev["period"] = new JsonObject
        {
            ["start"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["end"] = start.AddDays(13).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return ev;
    }

    public static JsonObject ContactRegistered(DateTimeOffset at, bool succeeded)
    {
        var ev = Event("contact-registered", at);
        ev["channel"] = "home-visit";
        ev["direction"] = "outbound";
        ev["succeeded"] = succeeded;
        return ev;
    }
}
