using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Coordination.Domain;

/// <summary>The person's rights to see what the hub holds (section <c>Coordination:PersonRights</c>).</summary>
public sealed class PersonRightsOptions
{
    public const string Section = "Coordination:PersonRights";

    /// <summary>A request is answered within this many months (GDPR art. 12(3): one month).</summary>
    public int AnswerWithinMonths { get; set; } = 1;

    public void Validate()
    {
        if (AnswerWithinMonths is < 1 or > 3)
        {
            throw new HubConfigurationException($"{Section}:AnswerWithinMonths must be 1-3: the law allows one month, extended by two at most.");
        }
    }
}

public static class AccessRequestState
{
    public const string Compiling = "compiling";
    public const string Ready = "ready";
    public const string HandedOver = "handed-over";
}

/// <summary>
/// A person asked, through a member of their care team, for everything the hub holds about them
/// (innsyn). Registered without BankID: how the request came is noted, and who took it comes from
/// the token.
/// </summary>
public sealed class AccessRequest
{
    public Guid Id { get; set; }

    public required string PersonKey { get; set; }

    /// <summary>in-person, phone or letter.</summary>
    public required string ReceivedVia { get; set; }

    public string? Note { get; set; }

    public required string RegisteredBy { get; set; }

    public required string RegisteredByRole { get; set; }

    public string? RegisteredByUnit { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? HandedOverAt { get; set; }

    public string? HandedOverBy { get; set; }

    /// <summary>in-person, post or digital.</summary>
    public string? HandedOverVia { get; set; }
}

/// <summary>One module's part of the answer, sealed as the module sent it.</summary>
public sealed class AccessReportSection
{
    public Guid RequestId { get; set; }

    public required string Module { get; set; }

    public required string SealedRecords { get; set; }

    public DateTimeOffset CompiledAt { get; set; }
}

public static class AccessRequests
{
    /// <summary>The modules that hold data about people; the answer is complete when each has sent its part.</summary>
    public static IReadOnlyList<string> HoldingModules { get; } = ["gp-certificates", "nav-cases", "municipal-follow-up", "routing", "coordination"];

    public static IReadOnlyDictionary<string, string> ReceivedVia { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["in-person"] = "personlig oppmøte",
        ["phone"] = "telefon",
        ["letter"] = "brev",
    };

    public static IReadOnlyDictionary<string, string> HandOverVia { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["in-person"] = "gitt til personen",
        ["post"] = "sendt i posten",
        ["digital"] = "sendt digitalt",
    };
}
