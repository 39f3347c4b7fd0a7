using IntegrationHub.Contracts;

namespace IntegrationHub.Coordination.Domain;

/// <summary>What coordination knows of one person's reach: who follows them, their channels, KRR, the derived status.</summary>
public sealed class ReachProfile
{
    public required string PersonKey { get; set; }

    public string? NavOffice { get; set; }

    public string? Advisor { get; set; }

    public DateTimeOffset? AdvisorChangedAt { get; set; }

    public string? Municipality { get; set; }

    /// <summary>When the hub started following the person: the follow-up clock starts here if nobody has had contact yet.</summary>
    public DateTimeOffset FollowedSince { get; set; }

    public DateTimeOffset? CaseClosedAt { get; set; }

    public DateTimeOffset? LastContactAt { get; set; }

    /// <summary>Usable channels agreed with the person, comma-separated (dialogue, sms, phone, video, physical-meeting, home-visit).</summary>
    public string? Channels { get; set; }

    public string? PreferredChannel { get; set; }

    public bool NeedsPhysicalMeetings { get; set; }

    public DateTimeOffset? ChannelsAgreedAt { get; set; }

    public string? ChannelsAgreedBy { get; set; }

    public string Krr { get; set; } = KrrStatus.Unknown;

    public DateTimeOffset? KrrCheckedAt { get; set; }

    /// <summary>The mobile number and e-mail KRR last gave (<see cref="Krr.KrrContact"/> as JSON), sealed at rest (<see cref="PersonDirectory"/>).</summary>
    public string? KrrContact { get; set; }

    /// <summary>The identifier sealed by NAV's adapter (PersonIdentifierSealer), only for the KRR lookup.</summary>
    public string? SealedIdentifier { get; set; }

    public string Status { get; set; } = ReachStatus.Reachable;

    /// <summary>The reasons of the status, as JSON (<see cref="ReachReason"/> list).</summary>
    public string Reasons { get; set; } = "[]";

    public DateTimeOffset? AssessedAt { get; set; }
}

/// <summary>A signal about the person, kept so the rules can be run again as time passes.</summary>
public sealed class ObservedSignal
{
    public Guid Id { get; set; }

    public required string PersonKey { get; set; }

    public required string Signal { get; set; }

    public PartyKind SourceKind { get; set; }

    public required string SourceId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public string? Reference { get; set; }

    public string? Channel { get; set; }
}

public static class EscalationState
{
    public const string Raised = "raised";
    public const string Acknowledged = "acknowledged";
    public const string ContactAttempts = "contact-attempts";
    public const string Resolved = "resolved";
}

/// <summary>A person a human coordinator must follow up, from raised to resolved.</summary>
public sealed class Escalation
{
    public Guid Id { get; set; }

    public required string PersonKey { get; set; }

    public int Level { get; set; } = 1;

    public string State { get; set; } = EscalationState.Raised;

    /// <summary>The reasons when raised, as JSON (<see cref="ReachReason"/> list).</summary>
    public required string Reasons { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset LastRaisedAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    public string? Resolution { get; set; }

    public string? ResolutionNote { get; set; }
}

/// <summary>One try to reach the person within an escalation: how, and how it went.</summary>
public sealed class ContactAttempt
{
    public long Id { get; set; }

    public Guid EscalationId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>phone, sms, home-visit, office, via-municipal-contact, via-treatment-place.</summary>
    public required string Channel { get; set; }

    /// <summary>reached, not-reached, message-left.</summary>
    public required string Outcome { get; set; }

    public string? Note { get; set; }

    public required string RecordedBy { get; set; }
}

/// <summary>Durable timer: run the rules again for the person (a deadline passes).</summary>
public sealed record ReachReviewDue(string PersonKey);

/// <summary>Durable timer: the escalation's acknowledgement deadline at this level.</summary>
public sealed record EscalationAcknowledgementDue(Guid EscalationId, int Level);

/// <summary>Durable timer: look the person up in KRR (at case opening, weekly, and again after a failure).</summary>
public sealed record KrrLookupDue(string PersonKey);

/// <summary>
/// Who the person is, as the parties told it (<see cref="PersonIdentified"/>): kept apart from the
/// reach profile, because hearing a name from a GP is not being followed by anyone.
/// </summary>
public sealed class PersonDetails
{
    public required string PersonKey { get; set; }

    /// <summary>As the sending module sealed it (PersonIdentifierSealer): for the birth date, the KRR look-up and "vis fødselsnummer".</summary>
    public required string SealedIdentifier { get; set; }

    /// <summary>The name as JSON, sealed at rest (<see cref="PersonDirectory"/>); null until a party gave one.</summary>
    public string? Name { get; set; }

    /// <summary>Whose name it is: NAV's (the population register) outranks a municipality's, which outranks a GP's.</summary>
    public PartyKind? NameSource { get; set; }

    public DateTimeOffset? NameGivenAt { get; set; }
}

/// <summary>A municipal service that follows the person, and its caseworker: where a coordinator can reach the person through.</summary>
public sealed class MunicipalContact
{
    public required string PersonKey { get; set; }

    public required string Municipality { get; set; }

    public required string Service { get; set; }

    public required string Caseworker { get; set; }

    public DateTimeOffset Since { get; set; }
}
