using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>
/// Consent given in person or by phone, with its witness; and withdrawal from the same page, which
/// stops sharing at once (the API also holds back what is already queued).
/// </summary>
public sealed class SamtykkeModel(HubApi api, TimeProvider time) : HubPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public static IReadOnlyList<(string Code, string Label)> Recipients { get; } =
        [("nav", "NAV"), ("municipality", "Kommunens rus- og psykiske helsetjeneste"), ("gp", "Fastlegen")];

    public static IReadOnlyList<(string Code, string Label)> Channels { get; } =
        [("in-person", "Ved personlig oppmøte"), ("phone", "På telefon"), ("digital", "Digitalt")];

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["person.identifier"] = "Grant.Identifier",
        ["purpose"] = "Grant.Purpose",
        ["recipients"] = "Grant.Recipients",
        ["categories"] = "Grant.Categories",
        ["validFrom"] = "Grant.ValidFrom",
        ["validUntil"] = "Grant.ValidUntil",
        ["obtainedVia"] = "Grant.ObtainedVia",
        ["witnessedBy"] = "Grant.WitnessedBy",
    };

    public sealed class GrantInput
    {
        public string? Identifier { get; set; }

        public string? Purpose { get; set; } = "coordinated-follow-up";

        public List<string> Recipients { get; set; } = [];

        public List<string> Categories { get; set; } = [];

        public DateOnly? ValidFrom { get; set; }

        public DateOnly? ValidUntil { get; set; }

        public string? ObtainedVia { get; set; } = "in-person";

        public string? WitnessedBy { get; set; }
    }

    [FromRoute]
    public string PersonKey { get; set; } = string.Empty;

    [BindProperty]
    public GrantInput Grant { get; set; } = new();

    public IReadOnlyList<ConsentRow>? Consents { get; private set; }

    public string? SavedText => Saved switch
    {
        "registrert" => "Samtykket er registrert.",
        "trukket" => "Samtykket er trukket tilbake. Ingenting mer deles under det, heller ikke det som venter på å bli sendt.",
        _ => null,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = Display.Today(time);
        Grant.ValidFrom = today;
        Grant.ValidUntil = today.AddYears(1);
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRegistrerAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Grant.Identifier))
        {
            ModelState.AddModelError("Grant.Identifier", "Skriv personens fødselsnummer eller D-nummer.");
        }

        if (Grant.Recipients.Count == 0)
        {
            ModelState.AddModelError("Grant.Recipients", "Kryss av for hvem som kan få opplysningene.");
        }

        if (Grant.Categories.Count == 0)
        {
            ModelState.AddModelError("Grant.Categories", "Kryss av for hvilke opplysninger som kan deles.");
        }

        if (Grant.ValidFrom is null)
        {
            ModelState.AddModelError("Grant.ValidFrom", "Skriv datoen samtykket gjelder fra.");
        }

        if (Grant.ValidUntil is null)
        {
            ModelState.AddModelError("Grant.ValidUntil", "Skriv datoen samtykket gjelder til. Et samtykke varer aldri for alltid.");
        }
        else if (Grant.ValidFrom is { } from && Grant.ValidUntil <= from)
        {
            ModelState.AddModelError("Grant.ValidUntil", "Sluttdatoen må komme etter startdatoen.");
        }

        if (Grant.ObtainedVia is "in-person" or "phone" && string.IsNullOrWhiteSpace(Grant.WitnessedBy))
        {
            ModelState.AddModelError("Grant.WitnessedBy", "Samtykke ved oppmøte eller på telefon trenger et vitne.");
        }

        if (ModelState.IsValid)
        {
            // The identifier must be this page's person: a typo must not register consent for someone else.
            var key = await Api.PostAsync<PersonKeyAnswer>("/persons/key", new { identifier = Grant.Identifier!.Trim() }, cancellationToken);
            if (key.Value is null)
            {
                ModelState.AddModelError("Grant.Identifier", "Dette er ikke et gyldig fødselsnummer eller D-nummer. Sjekk sifrene.");
            }
            else if (key.Value.PersonKey != PersonKey)
            {
                ModelState.AddModelError("Grant.Identifier", "Fødselsnummeret hører til en annen person enn denne siden gjelder. Sjekk sifrene.");
            }
        }

        if (ModelState.IsValid)
        {
            var result = await Api.PostAsync<ConsentGrantAnswer>(
                "/consents",
                new
                {
                    person = new { identifier = Grant.Identifier!.Trim() },
                    purpose = Grant.Purpose,
                    recipients = Grant.Recipients,
                    categories = Grant.Categories,
                    validFrom = Grant.ValidFrom,
                    validUntil = Grant.ValidUntil,
                    obtainedVia = Grant.ObtainedVia,
                    witnessedBy = string.IsNullOrWhiteSpace(Grant.WitnessedBy) ? null : Grant.WitnessedBy.Trim(),
                },
                cancellationToken);
            if (result.Succeeded)
            {
                return Redirect($"/sider/personer/{PersonKey}/samtykke?lagret=registrert");
            }

            ShowOrKeep(result.Problem!);
        }

        Grant.Identifier = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTrekkAsync(Guid consentId, string? withdrawVia, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<object>(
            $"/consents/{consentId}/withdraw", new { via = withdrawVia, recordedBy = User.HubUser() }, cancellationToken);
        if (result.Succeeded)
        {
            return Redirect($"/sider/personer/{PersonKey}/samtykke?lagret=trukket");
        }

        Problem = result.Problem;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private void ShowOrKeep(ApiProblem problem)
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

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Consents = Keep(await Api.GetAsync<List<ConsentRow>>($"/persons/{PersonKey}/consents", cancellationToken))
            ?.OrderByDescending(c => c.RecordedAt).ToList();
}
