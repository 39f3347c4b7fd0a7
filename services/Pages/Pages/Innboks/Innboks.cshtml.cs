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

    /// <summary>Requests to correct or delete data the unit owns: its tasks.</summary>
    public IReadOnlyList<ChangeRequestRow>? Tasks { get; private set; }

    /// <summary>Who each person on the page is; one call for the whole page, audited per person by the API.</summary>
    public IReadOnlyDictionary<string, PersonIdentityView> People { get; private set; } = new Dictionary<string, PersonIdentityView>();

    public PersonIdentityView? PersonOf(string personKey) => People.GetValueOrDefault(personKey);

    public string? SavedText => Saved switch
    {
        "lest" => "Oppdateringen er markert som lest.",
        "lukket" => "Forespørselen er lukket.",
        _ => null,
    };

    [BindProperty(Name = "utfall")]
    public string? Outcome { get; set; }

    [BindProperty(Name = "svar")]
    public string? ResolutionNote { get; set; }

    public async Task<IActionResult> OnPostLukkAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<ChangeRequestRow>($"/change-requests/{requestId}/resolve", new { outcome = Outcome, note = ResolutionNote }, cancellationToken);
        if (result.Problem is { } problem)
        {
            Problem = problem.Errors.Count > 0
                ? problem with { Title = "Velg utført eller avslått, og skriv hva som ble gjort eller hvorfor ikke (minst 3 tegn)." }
                : problem;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        return Redirect("/sider/innboks?lagret=lukket");
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        Tasks = Keep(await Api.GetAsync<List<ChangeRequestRow>>("/change-requests", cancellationToken));
        Inbox = Keep(await Api.GetAsync<InboxPageView>($"/inbox?page={PageNumber}&pageSize=20&unacknowledged={(UnreadOnly ? "true" : "false")}", cancellationToken));
        var keys = (Inbox?.Persons.Select(p => p.PersonKey) ?? []).Concat(Tasks?.Select(t => t.PersonKey) ?? []).Distinct(StringComparer.Ordinal).Take(200).ToList();
        if (keys.Count > 0)
        {
            var people = await Api.PostAsync<List<PersonIdentityView>>("/persons/identities", new { personKeys = keys }, cancellationToken);
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
