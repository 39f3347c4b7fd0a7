using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>The person asks to have something corrected or deleted: registered for the party that owns it, and closed with a note.</summary>
public sealed class RettingModel(HubApi api) : PersonPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public static IReadOnlyDictionary<string, string> Kinds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["correction"] = "Retting",
        ["deletion"] = "Sletting",
    };

    public static IReadOnlyDictionary<string, string> Owners { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["municipality"] = "Kommunen",
        ["nav"] = "NAV",
        ["gp"] = "Fastlegen",
        ["hub"] = "Navet selv (kanaler og samtykker)",
    };

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["kind"] = nameof(Kind), ["concerns"] = nameof(Concerns), ["owner.party"] = nameof(Owner), ["owner.unit"] = nameof(OwnerUnit), ["receivedVia"] = nameof(ReceivedVia),
        ["outcome"] = nameof(Outcome), ["note"] = nameof(ResolutionNote),
    };

    [BindProperty(Name = "type")]
    public string? Kind { get; set; }

    [BindProperty(Name = "gjelder")]
    public string? Concerns { get; set; }

    [BindProperty(Name = "eier")]
    public string? Owner { get; set; }

    [BindProperty(Name = "enhet")]
    public string? OwnerUnit { get; set; }

    [BindProperty(Name = "kom")]
    public string? ReceivedVia { get; set; }

    [BindProperty(Name = "utfall")]
    public string? Outcome { get; set; }

    [BindProperty(Name = "svar")]
    public string? ResolutionNote { get; set; }

    public IReadOnlyList<ChangeRequestRow>? Requests { get; private set; }

    public string? SavedText => Saved switch
    {
        "registrert" => "Forespørselen er registrert.",
        "lukket" => "Forespørselen er lukket.",
        _ => null,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Requests = Keep(await Api.GetAsync<List<ChangeRequestRow>>($"/persons/{PersonKey}/change-requests", cancellationToken));

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Kind is null || !Kinds.ContainsKey(Kind))
        {
            ModelState.AddModelError(nameof(Kind), "Velg om personen vil ha noe rettet eller slettet.");
        }

        if (string.IsNullOrWhiteSpace(Concerns) || Concerns.Trim().Length < 3)
        {
            ModelState.AddModelError(nameof(Concerns), "Skriv hva personen vil ha rettet eller slettet.");
        }

        if (Owner is null || !Owners.ContainsKey(Owner))
        {
            ModelState.AddModelError(nameof(Owner), "Velg hvem som eier opplysningene.");
        }

        if (ReceivedVia is null || !InnsynModel.Ways.ContainsKey(ReceivedVia))
        {
            ModelState.AddModelError(nameof(ReceivedVia), "Velg hvordan forespørselen kom.");
        }

        if (ModelState.IsValid)
        {
            var unit = Owner == "hub" || string.IsNullOrWhiteSpace(OwnerUnit) ? null : OwnerUnit.Trim();
            var result = await Api.PostAsync<ChangeRequestRow>(
                $"/persons/{PersonKey}/change-requests",
                new { kind = Kind, concerns = Concerns, owner = new { party = Owner, unit }, receivedVia = ReceivedVia },
                cancellationToken);
            if (result.Problem is null)
            {
                return Redirect($"/sider/personer/{PersonKey}/retting?lagret=registrert");
            }

            ShowProblem(result.Problem);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostLukkAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<ChangeRequestRow>($"/change-requests/{requestId}/resolve", new { outcome = Outcome, note = ResolutionNote }, cancellationToken);
        if (result.Problem is null)
        {
            return Redirect($"/sider/personer/{PersonKey}/retting?lagret=lukket");
        }

        ShowProblem(result.Problem);
        await OnGetAsync(cancellationToken);
        return Page();
    }

    private void ShowProblem(ApiProblem problem)
    {
        if (problem.Errors.Count > 0)
        {
            ShowFieldErrors(problem, FieldNames);
        }
        else
        {
            Problem = problem;
        }
    }
}
