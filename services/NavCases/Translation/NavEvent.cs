using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Persons;

namespace IntegrationHub.NavCases.Translation;

/// <summary>The event types of NAV's case system (party-interfaces.md) and their closed vocabularies.</summary>
public static class NavEventTypes
{
    public const string CaseOpened = "case-opened";
    public const string AdvisorAssigned = "advisor-assigned";
    public const string CaseClosed = "case-closed";
    public const string MessageSent = "message-sent";
    public const string MessageRead = "message-read";
    public const string MessageAnswered = "message-answered";
    public const string MeetingScheduled = "meeting-scheduled";
    public const string MeetingAttended = "meeting-attended";
    public const string MeetingMissed = "meeting-missed";
    public const string EmploymentStatusCardMissed = "employment-status-card-missed";
    public const string ContactRegistered = "contact-registered";

    /// <summary>Each event type as the person reads it in an access report.</summary>
    public static IReadOnlyDictionary<string, string> Words { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CaseOpened] = "saken ble åpnet",
        [AdvisorAssigned] = "ny veileder",
        [CaseClosed] = "saken ble avsluttet",
        [MessageSent] = "NAV sendte deg en melding",
        [MessageRead] = "du leste en melding",
        [MessageAnswered] = "du svarte på en melding",
        [MeetingScheduled] = "møte avtalt",
        [MeetingAttended] = "du kom på møtet",
        [MeetingMissed] = "du kom ikke på møtet",
        [EmploymentStatusCardMissed] = "meldekortet ble ikke sendt",
        [ContactRegistered] = "veilederen registrerte en kontakt",
    };

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CaseOpened, AdvisorAssigned, CaseClosed, MessageSent, MessageRead, MessageAnswered, MeetingScheduled, MeetingAttended,
        MeetingMissed, EmploymentStatusCardMissed, ContactRegistered,
    };

    public static IReadOnlySet<string> CaseTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "arbeidsavklaring", "sykefravaer", "oppfolging" };

    public static IReadOnlySet<string> CaseOutcomes { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "cleared-for-work", "cleared-for-disability-benefit", "other" };

    public static IReadOnlySet<string> MessageChannels { get; } = new HashSet<string>(StringComparer.Ordinal) { "activity-plan-dialogue", "digital-letter", "sms" };

    public static IReadOnlySet<string> MeetingForms { get; } = new HashSet<string>(StringComparer.Ordinal) { "physical", "video", "phone" };

    public static IReadOnlySet<string> ContactChannels { get; } = new HashSet<string>(StringComparer.Ordinal) { "phone", "physical", "home-visit", "video" };

    public static IReadOnlySet<string> Directions { get; } = new HashSet<string>(StringComparer.Ordinal) { "inbound", "outbound" };
}

/// <summary>A NAV case event that passed validation. Type-specific fields are set for their type only.</summary>
public sealed record NavEvent(
    Guid EventId,
    string Type,
    DateTimeOffset OccurredAt,
    NorwegianPersonIdentifier Person,
    string CaseId,
    string NavOffice,
    string? Advisor)
{
    public string? CaseType { get; init; }

    /// <summary>The name from the population register, when NAV sent one (case-opened, advisor-assigned).</summary>
    public PersonName? Name { get; init; }

    public string? PreviousAdvisor { get; init; }

    public string? Outcome { get; init; }

    public string? MessageId { get; init; }

    public string? Channel { get; init; }

    public string? MeetingId { get; init; }

    public DateTimeOffset? MeetingAt { get; init; }

    public string? MeetingForm { get; init; }

    public DateOnly? PeriodStart { get; init; }

    public DateOnly? PeriodEnd { get; init; }

    public string? Direction { get; init; }

    public bool? Succeeded { get; init; }
}
