using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>The person asks to see what the hub holds about them: a member of the care team registers it as it came, without BankID.</summary>
public sealed class InnsynModel(HubApi api) : PersonPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public static IReadOnlyDictionary<string, string> Ways { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["in-person"] = "Personlig oppmøte",
        ["phone"] = "Telefon",
        ["letter"] = "Brev",
    };

    [BindProperty(Name = "kom")]
    public string? ReceivedVia { get; set; }

    [BindProperty(Name = "notat")]
    public string? Note { get; set; }

    public IReadOnlyList<AccessRequestRow>? Requests { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Requests = Keep(await Api.GetAsync<List<AccessRequestRow>>($"/persons/{PersonKey}/access-requests", cancellationToken));

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ReceivedVia is null || !Ways.ContainsKey(ReceivedVia))
        {
            ModelState.AddModelError(nameof(ReceivedVia), "Velg hvordan forespørselen kom.");
        }

        if (Note is { Length: > 2000 })
        {
            ModelState.AddModelError(nameof(Note), "Notatet kan ha høyst 2000 tegn.");
        }

        if (ModelState.IsValid)
        {
            var result = await Api.PostAsync<AccessRequestRow>($"/persons/{PersonKey}/access-requests", new { receivedVia = ReceivedVia, note = Note }, cancellationToken);
            if (result.Value is { } registered)
            {
                return Redirect($"/sider/innsyn/{registered.RequestId}");
            }

            Problem = result.Problem;
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }
}
