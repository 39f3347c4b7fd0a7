using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Delivery.Endpoints;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.NavCases.Persistence;
using IntegrationHub.NavCases.Translation;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.NavCases.Endpoints;

/// <summary>NAV advisors' inbox: updates for the people on their own NAV office's open cases.</summary>
public sealed class NavInbox(NavCasesDbContext db, TimeProvider time) : RecipientInbox<NavCasesDbContext>(db, time)
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        [NavEventTypes.CaseOpened] = "Sak åpnet",
        [NavEventTypes.AdvisorAssigned] = "Ny veileder har ansvaret",
        [NavEventTypes.CaseClosed] = "Sak avsluttet",
        [NavEventTypes.MessageSent] = "NAV sendte en melding",
        [NavEventTypes.MessageRead] = "Brukeren leste meldingen",
        [NavEventTypes.MessageAnswered] = "Brukeren svarte på meldingen",
        [NavEventTypes.MeetingScheduled] = "Møte avtalt",
        [NavEventTypes.MeetingAttended] = "Brukeren kom til møtet",
        [NavEventTypes.MeetingMissed] = "Brukeren kom ikke til møtet",
        [NavEventTypes.EmploymentStatusCardMissed] = "Meldekortet kom ikke inn",
        [NavEventTypes.ContactRegistered] = "Kontakt registrert",
    };

    public override string Role => HubRoles.NavAdvisor;

    protected override PartyKind Recipient => PartyKind.Nav;

    protected override IQueryable<string> FollowedBy(string party) =>
        Db.Cases.Where(c => c.NavOffice == party && c.ClosedAt == null).Select(c => c.PersonKey);

    /// <summary>
    /// NAV's case events, whichever office recorded them: the case is the agency's and moves with
    /// the person, so a new office reads its history instead of asking the person to retell it.
    /// </summary>
    protected override async Task<IReadOnlyList<TimelineEntry>> OwnEventsAsync(string party, string personKey, CancellationToken cancellationToken)
    {
        var events = await Db.Events.AsNoTracking().Where(e => e.PersonKey == personKey).ToListAsync(cancellationToken);
        return events
            .Select(e => new TimelineEntry(e.OccurredAt, "nav", e.Type, e.Detail is null ? $"{Texts[e.Type]}." : $"{Texts[e.Type]} ({e.Detail}).", null))
            .ToList();
    }
}
