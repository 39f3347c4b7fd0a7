using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.TestSupport;

/// <summary>Bodies for <c>POST /consents</c>.</summary>
public static class ConsentRequests
{
    /// <summary>A consent for coordinated follow-up, given in person before a witness, in force from yesterday for a year.</summary>
    /// <param name="recipients">Each as <c>party</c> or <c>party:unit</c>: <c>nav</c>, <c>municipality:0301</c>, <c>gp:90128</c>.</param>
    public static JsonObject GivenInPerson(string identifier, IEnumerable<string> recipients, IEnumerable<string> categories, string witnessedBy = "coord-7")
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["purpose"] = "coordinated-follow-up",
            ["recipients"] = Recipients(recipients),
            ["categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]),
            ["validFrom"] = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["validUntil"] = today.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["obtainedVia"] = "in-person",
            ["witnessedBy"] = witnessedBy,
        };
    }

    /// <summary>The API's recipients from <c>party</c> or <c>party:unit</c> codes.</summary>
    public static JsonArray Recipients(IEnumerable<string> recipients) =>
        new([.. recipients.Select(r => r.Split(':') is [var party, var unit]
            ? new JsonObject { ["party"] = party, ["unit"] = unit }
            : (JsonNode)new JsonObject { ["party"] = r })]);
}
