using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages;

/// <summary>From an identifier (posted, never in a URL) to the person's pages, which use the hub's person key.</summary>
public sealed class FinnPersonModel(HubApi api) : HubPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    [BindProperty]
    public string? Identifier { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Identifier))
        {
            ModelState.AddModelError(nameof(Identifier), "Skriv fødselsnummeret eller D-nummeret.");
            return Page();
        }

        var answer = await Api.PostAsync<PersonKeyAnswer>("/persons/key", new { identifier = Identifier.Trim() }, cancellationToken);
        if (answer.Value is { } key)
        {
            return Redirect($"/sider/personer/{key.PersonKey}");
        }

        if (answer.Problem is { Status: 400 })
        {
            ModelState.AddModelError(nameof(Identifier), "Dette er ikke et gyldig fødselsnummer eller D-nummer. Sjekk sifrene.");
            return Page();
        }

        Problem = answer.Problem;
        return Page();
    }
}
