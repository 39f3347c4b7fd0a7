using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Coordination.Domain;

/// <summary>The person's rights to see what the hub holds (section <c>Coordination:PersonRights</c>).</summary>
public sealed class PersonRightsOptions
{
    public const string Section = "Coordination:PersonRights";

    /// <summary>A request is answered within this many months (GDPR art. 12(3): one month).</summary>
    public int AnswerWithinMonths { get; set; } = 1;

    /// <summary>An open request is raised on the worklist this long before its deadline, and again when the deadline passes.</summary>
    public TimeSpan RemindBefore { get; set; } = TimeSpan.FromDays(7);

    public void Validate()
    {
        if (AnswerWithinMonths is < 1 or > 3)
        {
            throw new HubConfigurationException($"{Section}:AnswerWithinMonths must be 1-3: the law allows one month, extended by two at most.");
        }

        if (RemindBefore <= TimeSpan.Zero || RemindBefore >= TimeSpan.FromDays(28))
        {
            throw new HubConfigurationException($"{Section}:RemindBefore must be positive and shorter than four weeks.");
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

    /// <summary>1 when registered, 2 once its deadline nears, 3 once it has passed (<see cref="RightsRequestLevels"/>).</summary>
    public int Level { get; set; } = RightsRequestLevels.Registered;

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

    public static IReadOnlyDictionary<string, string> ChangeKinds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["correction"] = "retting",
        ["deletion"] = "sletting",
    };

    /// <summary>Who owns data the person wants changed; hub is the hub's own (channel profile, consents).</summary>
    public static IReadOnlyDictionary<string, string> Owners { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gp"] = "fastlegen",
        ["nav"] = "NAV",
        ["municipality"] = "kommunen",
        ["hub"] = "navet selv (kanaler og samtykker)",
    };

    public static string TimerKey(Guid requestId) => $"rights-request:{requestId:N}";

    public static IReadOnlyDictionary<string, string> HandOverVia { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["in-person"] = "gitt til personen",
        ["post"] = "sendt i posten",
        ["digital"] = "sendt digitalt",
    };
}

/// <summary>How urgent an open request is: raised by durable timers as its deadline nears and passes, like an escalation.</summary>
public static class RightsRequestLevels
{
    public const int Registered = 1;
    public const int DeadlineNear = 2;
    public const int DeadlinePassed = 3;
}

public static class ChangeRequestState
{
    public const string Open = "open";
    public const string Done = "done";
    public const string Refused = "refused";
}

/// <summary>
/// The person asked to have something corrected or deleted. It goes as a task to the party that owns
/// the data (the GP, NAV, the municipality); what the hub owns itself (the channel profile, consents)
/// its staff correct here. Answered within the same deadline as access.
/// </summary>
public sealed class ChangeRequest
{
    public Guid Id { get; set; }

    public required string PersonKey { get; set; }

    /// <summary>correction or deletion.</summary>
    public required string Kind { get; set; }

    /// <summary>What the person wants corrected or deleted, in their words as noted.</summary>
    public required string Concerns { get; set; }

    /// <summary>Who owns the data: gp, nav, municipality, or hub for the hub's own records.</summary>
    public required string Owner { get; set; }

    /// <summary>The owning unit: HER-id, NAV office or municipality number; null for the hub.</summary>
    public string? OwnerUnit { get; set; }

    public required string ReceivedVia { get; set; }

    public required string RegisteredBy { get; set; }

    public required string RegisteredByRole { get; set; }

    public string? RegisteredByUnit { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public int Level { get; set; } = RightsRequestLevels.Registered;

    public string State { get; set; } = ChangeRequestState.Open;

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    public string? ResolutionNote { get; set; }
}

/// <summary>Durable timer: a rights request's deadline nears or has passed (<see cref="RightsRequestLevels"/>).</summary>
public sealed record RightsRequestDeadline(Guid RequestId, int Level);
