using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>The person's reach profile, and the channel profile agreed with them, which staff can change.</summary>
public sealed class KontaktModel(HubApi api) : PersonPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    [BindProperty]
    public List<string> Usable { get; set; } = [];

    [BindProperty]
    public string? Preferred { get; set; }

    [BindProperty]
    public bool NeedsPhysicalMeetings { get; set; }

    public ReachProfileView? Reach { get; private set; }

    public string? SavedText => Saved == "kanaler" ? "Kanalene er lagret." : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Reach is not null)
        {
            Usable = [.. Reach.Channels.Usable];
            Preferred = Reach.Channels.Preferred;
            NeedsPhysicalMeetings = Reach.Channels.NeedsPhysicalMeetings;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Preferred = string.IsNullOrEmpty(Preferred) ? null : Preferred;
        if (Usable.Count == 0)
        {
            ModelState.AddModelError(nameof(Usable), "Kryss av minst én kanal som fungerer for personen.");
        }
        else if (Usable.Any(c => !FollowUpVocabulary.ProfileChannels.ContainsKey(c)))
        {
            ModelState.AddModelError(nameof(Usable), "Velg bare kanaler fra listen.");
        }

        if (Preferred is not null && !Usable.Contains(Preferred))
        {
            ModelState.AddModelError(nameof(Preferred), "Den foretrukne kanalen må være en av kanalene som fungerer.");
        }

        if (ModelState.IsValid)
        {
            var result = await Api.PutAsync<object>(
                $"/persons/{PersonKey}/channels", new { usable = Usable, preferred = Preferred, needsPhysicalMeetings = NeedsPhysicalMeetings }, cancellationToken);
            if (result.Succeeded)
            {
                return Redirect($"/sider/personer/{PersonKey}/kontakt?lagret=kanaler");
            }

            if (result.Problem!.Errors.Count > 0)
            {
                ShowFieldErrors(result.Problem, new Dictionary<string, string> { ["usable"] = nameof(Usable), ["preferred"] = nameof(Preferred) });
            }
            else
            {
                Problem = result.Problem;
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Reach = Keep(await Api.GetAsync<ReachProfileView>($"/persons/{PersonKey}/reach", cancellationToken));
}
