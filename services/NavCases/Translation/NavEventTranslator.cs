using IntegrationHub.Contracts;

namespace IntegrationHub.NavCases.Translation;

/// <summary>NAV's event vocabulary into the hub's contracts. Pure: the intake stores and publishes.</summary>
public static class NavEventTranslator
{
    /// <param name="currentAdvisor">The advisor the hub knew on the case before this event, for an advisor change without previousAdvisor.</param>
    /// <param name="sealedIdentifier">The person's identifier sealed for the KRR lookup (see PersonIdentifierSealer).</param>
    public static IReadOnlyList<object> Translate(NavEvent ev, PersonReference person, string? currentAdvisor, string? sealedIdentifier)
    {
        var office = new PartyReference(PartyKind.Nav, ev.NavOffice);
        switch (ev.Type)
        {
            case NavEventTypes.CaseOpened:
                return
                [
                    new WorkAssessmentCaseOpened(ev.EventId, person, ev.CaseId, ev.CaseType!, ev.NavOffice, ev.Advisor, ev.OccurredAt)
                    {
                        SealedIdentifier = sealedIdentifier,
                    },
                    new AdvisorAssigned(ev.EventId, person, ev.CaseId, ev.NavOffice, ev.Advisor!, null, ev.OccurredAt),
                ];
            case NavEventTypes.AdvisorAssigned:
                var previous = ev.PreviousAdvisor ?? (currentAdvisor != ev.Advisor ? currentAdvisor : null);
                return [new AdvisorAssigned(ev.EventId, person, ev.CaseId, ev.NavOffice, ev.Advisor!, previous, ev.OccurredAt)];
            case NavEventTypes.CaseClosed:
                return [new WorkAssessmentCaseClosed(ev.EventId, person, ev.CaseId, ev.NavOffice, ev.Outcome!, ev.OccurredAt)];
            case NavEventTypes.EmploymentStatusCardMissed:
                return [Signal(ev, person, office, EngagementSignal.EmploymentStatusCardMissed, $"{ev.PeriodStart:yyyy-MM-dd}/{ev.PeriodEnd:yyyy-MM-dd}")];
            case NavEventTypes.ContactRegistered:
                var signal = Signal(ev, person, office, ev.Succeeded == true ? EngagementSignal.ContactSucceeded : EngagementSignal.ContactFailed, ev.Direction);
                return [signal with { Channel = ev.Channel }];
            case NavEventTypes.MessageSent:
                return [Signal(ev, person, office, EngagementSignal.MessageSent, ev.MessageId) with { Channel = ev.Channel }];
            case NavEventTypes.MessageRead:
                return [Signal(ev, person, office, EngagementSignal.MessageRead, ev.MessageId)];
            case NavEventTypes.MessageAnswered:
                return [Signal(ev, person, office, EngagementSignal.MessageAnswered, ev.MessageId)];
            case NavEventTypes.MeetingScheduled:
                return [Signal(ev, person, office, EngagementSignal.MeetingScheduled, ev.MeetingId) with { Channel = ev.MeetingForm }];
            case NavEventTypes.MeetingAttended:
                return [Signal(ev, person, office, EngagementSignal.MeetingAttended, ev.MeetingId)];
            case NavEventTypes.MeetingMissed:
                return [Signal(ev, person, office, EngagementSignal.MeetingMissed, ev.MeetingId)];
            default:
                throw new ArgumentOutOfRangeException(nameof(ev), ev.Type, "Not a NAV event type.");
        }
    }

    // The signal id is the event id: one NAV event gives at most one signal, so it is stable on redelivery.
    private static EngagementSignalObserved Signal(NavEvent ev, PersonReference person, PartyReference office, string code, string? reference) =>
        new(ev.EventId, person, code, office, ev.OccurredAt, reference);
}
