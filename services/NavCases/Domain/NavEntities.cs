namespace IntegrationHub.NavCases.Domain;

/// <summary>A NAV case as the hub knows it from the events: whose it is, at which office, with which advisor.</summary>
public sealed class NavCase
{
    public required string CaseId { get; set; }

    public required string PersonKey { get; set; }

    public required string NavOffice { get; set; }

    public string? Advisor { get; set; }

    public string? CaseType { get; set; }

    public DateTimeOffset? OpenedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? Outcome { get; set; }

    /// <summary>When the latest advisor assignment happened at NAV; an older one arriving late does not win.</summary>
    public DateTimeOffset? AdvisorSince { get; set; }
}

/// <summary>Every NAV event the hub accepted, by its id: duplicates are found here, and the timeline reads it.</summary>
public sealed class ReceivedNavEvent
{
    public Guid EventId { get; set; }

    public required string Type { get; set; }

    public required string PersonKey { get; set; }

    public required string CaseId { get; set; }

    public required string NavOffice { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The event's own reference (message, meeting, period), channel or outcome; never the person's identifier.</summary>
    public string? Detail { get; set; }
}
