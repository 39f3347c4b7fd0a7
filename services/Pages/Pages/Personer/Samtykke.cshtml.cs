using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>
/// Consent given in person or by phone, with its witness; and withdrawal from the same page, which
/// stops sharing at once (the API also takes back what was shared under it and not yet read).
/// A consent names units ("Oslo kommune (0301)"), never a kind of party.
/// </summary>
public sealed class SamtykkeModel(HubApi api, TimeProvider time) : PersonPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public static IReadOnlyList<(string Code, string Label)> Channels { get; } =
        [("in-person", "Ved personlig oppmøte"), ("phone", "På telefon"), ("digital", "Digitalt")];

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["person.identifier"] = "Grant.Identifier",
        ["purpose"] = "Grant.Purpose",
        ["recipients"] = "Grant.Municipalities",
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

        /// <summary>To NAV as the agency: whichever office follows the person's case at the time.</summary>
        public bool ToNav { get; set; }

        /// <summary>Municipality numbers, separated by commas or spaces: each municipality is named, never "the municipality".</summary>
        public string? Municipalities { get; set; }

        /// <summary>HER-ids of GP offices, separated likewise.</summary>
        public string? GeneralPractitioners { get; set; }

        public List<string> Categories { get; set; } = [];

        public DateOnly? ValidFrom { get; set; }

        public DateOnly? ValidUntil { get; set; }

        public string? ObtainedVia { get; set; } = "in-person";

        public string? WitnessedBy { get; set; }
    }

    [BindProperty]
    public GrantInput Grant { get; set; } = new();

    public IReadOnlyList<ConsentRow>? Consents { get; private set; }

    public string? SavedText => Saved switch
    {
        "registrert" => "Samtykket er registrert.",
        "trukket" => "Samtykket er trukket tilbake. Ingenting mer deles under det, og det som er delt under det og ikke lest ennå, blir trukket tilbake.",
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

        var (recipients, recipientFields) = RecipientsOf(Grant);
        if (recipients.Count == 0)
        {
            ModelState.AddModelError("Grant.Municipalities", "Skriv hvem som kan få opplysningene: NAV, kommunenummer eller fastlegens HER-id.");
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
                    recipients,
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

            ShowOrKeep(result.Problem!, recipientFields);
        }

        Grant.Identifier = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTrekkAsync(Guid consentId, string? withdrawVia, CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<object>(
            $"/consents/{consentId}/withdraw", new { via = withdrawVia }, cancellationToken);
        if (result.Succeeded)
        {
            return Redirect($"/sider/personer/{PersonKey}/samtykke?lagret=trukket");
        }

        Problem = result.Problem;
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The API's recipients in the order sent, and which form field each came from (for its errors, <c>recipients[1].unit</c>).</summary>
    private static (List<object> Recipients, Dictionary<string, string> Fields) RecipientsOf(GrantInput grant)
    {
        var recipients = new List<object>();
        var fields = new Dictionary<string, string>(FieldNames, StringComparer.Ordinal);
        void Add(string party, string? unit, string field)
        {
            foreach (var suffix in new[] { string.Empty, ".party", ".unit" })
            {
                fields[$"recipients[{recipients.Count}]{suffix}"] = field;
            }

            recipients.Add(unit is null ? new { party } : new { party, unit });
        }

        if (grant.ToNav)
        {
            Add("nav", null, "Grant.ToNav");
        }

        foreach (var unit in Units(grant.Municipalities))
        {
            Add("municipality", unit, "Grant.Municipalities");
        }

        foreach (var unit in Units(grant.GeneralPractitioners))
        {
            Add("gp", unit, "Grant.GeneralPractitioners");
        }

        return (recipients, fields);
    }

    private static IEnumerable<string> Units(string? text) =>
        (text ?? string.Empty).Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private void ShowOrKeep(ApiProblem problem, IReadOnlyDictionary<string, string> fields)
    {
        if (problem.Errors.Count > 0)
        {
            ShowFieldErrors(problem, fields);
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
