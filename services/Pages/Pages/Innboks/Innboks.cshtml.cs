using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Innboks;

/// <summary>The advisor's or caseworker's inbox, grouped per person, with unread markers and "mark as read".</summary>
public sealed class InnboksModel(HubApi api) : HubPage(api, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    [FromQuery(Name = "side")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "uleste")]
    public bool UnreadOnly { get; set; }

    public InboxPageView? Inbox { get; private set; }

    /// <summary>Who each person on the page is; one call for the whole page, audited per person by the API.</summary>
    public IReadOnlyDictionary<string, PersonIdentityView> People { get; private set; } = new Dictionary<string, PersonIdentityView>();

    public PersonIdentityView? PersonOf(string personKey) => People.GetValueOrDefault(personKey);

    public string? SavedText => Saved == "lest" ? "Oppdateringen er markert som lest." : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        Inbox = Keep(await Api.GetAsync<InboxPageView>($"/inbox?page={PageNumber}&pageSize=20&unacknowledged={(UnreadOnly ? "true" : "false")}", cancellationToken));
        if (Inbox is { Persons.Count: > 0 } inbox)
        {
            var people = await Api.PostAsync<List<PersonIdentityView>>("/persons/identities", new { personKeys = inbox.Persons.Select(p => p.PersonKey).ToList() }, cancellationToken);
            People = (people.Value ?? []).ToDictionary(p => p.PersonKey);
        }
    }

    public async Task<IActionResult> OnPostKvitterAsync(Guid updateId, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<object>($"/inbox/{updateId}/ack", new { }, cancellationToken);
        if (result.Problem is { } problem)
        {
            Problem = problem;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        return Redirect($"/sider/innboks?lagret=lest&uleste={(UnreadOnly ? "true" : "false")}");
    }
}
