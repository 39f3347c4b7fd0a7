using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>The person's own page: their name, the way to their other pages, and the audited "vis fødselsnummer" step.</summary>
public sealed class PersonModel(HubApi api) : PersonPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    [BindProperty(Name = "formaal")]
    public string? Purpose { get; set; }

    /// <summary>Shown in this answer only: never in an address, and the answer is not stored by the browser.</summary>
    public string? Identifier { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostVisFodselsnummerAsync(CancellationToken cancellationToken)
    {
        Purpose = Purpose?.Trim();
        if (Purpose is not { Length: >= 3 and <= 200 })
        {
            ModelState.AddModelError(nameof(Purpose), "Skriv hva fødselsnummeret trengs til, med 3 til 200 tegn. Det blir logget sammen med visningen.");
            return Page();
        }

        var result = await Api.PostAsync<IdentifierAnswer>($"/persons/{PersonKey}/identifier", new { purpose = Purpose }, cancellationToken);
        if (result.Problem is { } problem)
        {
            Problem = problem.Errors.Count > 0 ? null : problem;
            ShowFieldErrors(problem, new Dictionary<string, string> { ["purpose"] = nameof(Purpose) });
            return Page();
        }

        Identifier = result.Value!.Identifier;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
