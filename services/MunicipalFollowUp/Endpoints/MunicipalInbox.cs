using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Delivery.Endpoints;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.MunicipalFollowUp.Persistence;
using IntegrationHub.MunicipalFollowUp.Translation;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.MunicipalFollowUp.Endpoints;

/// <summary>Caseworkers' inbox: updates about the people their municipality follows.</summary>
public sealed class MunicipalInbox(MunicipalDbContext db, TimeProvider time) : RecipientInbox<MunicipalDbContext>(db, time)
{
    public override string Role => HubRoles.MunicipalCaseworker;

    protected override PartyKind Recipient => PartyKind.Municipality;

    protected override IQueryable<string> FollowedBy(string party) =>
        Db.FollowedPersons.Where(f => f.Municipality == party).Select(f => f.PersonKey);

    /// <summary>The municipality's own notes, text included: they are its own record. Another municipality's notes reach it only as routed updates.</summary>
    protected override async Task<IReadOnlyList<TimelineEntry>> OwnEventsAsync(string party, string personKey, CancellationToken cancellationToken)
    {
        var notes = await Db.Notes.AsNoTracking().Where(n => n.PersonKey == personKey && n.Municipality == party).ToListAsync(cancellationToken);
        return notes
            .Select(n => new TimelineEntry(
                n.RecordedAt,
                "municipality",
                "follow-up-note",
                n.Text is null ? MunicipalVocabulary.Summarise(n.Outcome, n.Channel) : $"{MunicipalVocabulary.Summarise(n.Outcome, n.Channel)} Notat: {n.Text}",
                null))
            .ToList();
    }
}
