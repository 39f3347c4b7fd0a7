using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.TestSupport;

/// <summary>Bodies for <c>POST /consents</c>.</summary>
public static class ConsentRequests
{
    /// <summary>A consent for coordinated follow-up, given in person before a witness, in force from yesterday for a year.</summary>
    public static JsonObject GivenInPerson(string identifier, IEnumerable<string> recipients, IEnumerable<string> categories, string witnessedBy = "coord-7")
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new JsonObject
        {
            ["person"] = new JsonObject { ["identifier"] = identifier },
            ["purpose"] = "coordinated-follow-up",
            ["recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]),
            ["categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]),
            ["validFrom"] = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["validUntil"] = today.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["obtainedVia"] = "in-person",
            ["witnessedBy"] = witnessedBy,
        };
    }
}
