using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Innsyn;

/// <summary>
/// The answer to an access request: everything the hub holds about the person, to print and hand
/// over, or to download as JSON; and the hand-over recorded.
/// </summary>
public sealed class RapportModel(HubApi api, TimeProvider time) : HubPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public static IReadOnlyDictionary<string, string> HandOverWays { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["in-person"] = "Gitt til personen",
        ["post"] = "Sendt i posten",
        ["digital"] = "Sendt digitalt",
    };

    [FromRoute]
    public Guid RequestId { get; set; }

    [BindProperty(Name = "utlevert")]
    public string? HandedOverVia { get; set; }

    public AccessReportView? Report { get; private set; }

    public DateTimeOffset PrintedAt { get; private set; }

    public string? SavedText => Saved == "utlevert" ? "Utleveringen er registrert." : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PrintedAt = time.GetUtcNow();
        Report = Keep(await Api.GetAsync<AccessReportView>($"/access-requests/{RequestId}", cancellationToken));
    }

    /// <summary>The same answer as JSON, as a file: the API's words and structure, nothing added.</summary>
    public async Task<IActionResult> OnGetJsonAsync(CancellationToken cancellationToken)
    {
        var result = await Api.GetAsync<JsonElement>($"/access-requests/{RequestId}", cancellationToken);
        if (result.Problem is { } problem)
        {
            Problem = problem;
            PrintedAt = time.GetUtcNow();
            return Page();
        }

        Response.Headers.CacheControl = "no-store";
        Response.Headers.ContentDisposition = $"attachment; filename=\"innsyn-{RequestId}.json\"";
        return new JsonResult(result.Value);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (HandedOverVia is null || !HandOverWays.ContainsKey(HandedOverVia))
        {
            ModelState.AddModelError(nameof(HandedOverVia), "Velg hvordan svaret ble gitt til personen.");
            await OnGetAsync(cancellationToken);
            return Page();
        }

        var result = await Api.PostAsync<AccessRequestRow>($"/access-requests/{RequestId}/handed-over", new { via = HandedOverVia }, cancellationToken);
        if (result.Problem is { } problem)
        {
            await OnGetAsync(cancellationToken);
            Problem = problem;
            return Page();
        }

        return Redirect($"/sider/innsyn/{RequestId}?lagret=utlevert");
    }
}
