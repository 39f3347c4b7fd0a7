using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Endpoints;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.NavCases.Persistence;

namespace IntegrationHub.NavCases.Endpoints;

/// <summary>NAV advisors' inbox: updates for the people on their own NAV office's open cases.</summary>
public sealed class NavInbox(NavCasesDbContext db, TimeProvider time) : RecipientInbox<NavCasesDbContext>(db, time)
{
    public override string Role => HubRoles.NavAdvisor;

    protected override PartyKind Recipient => PartyKind.Nav;

    protected override IQueryable<string> FollowedBy(string party) =>
        Db.Cases.Where(c => c.NavOffice == party && c.ClosedAt == null).Select(c => c.PersonKey);
}
