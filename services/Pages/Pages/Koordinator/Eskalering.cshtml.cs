using System.Globalization;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Koordinator;

/// <summary>One escalation: take it, record each try to reach the person, and close it with a reason.</summary>
public sealed class EskaleringModel(HubApi api) : HubPage(api, HubRoles.Coordinator)
{
    private static readonly Dictionary<string, string> SavedTexts = new(StringComparer.Ordinal)
    {
        ["tatt"] = "Du har tatt eskaleringen.",
        ["forsok"] = "Kontaktforsøket er registrert.",
        ["avsluttet"] = "Eskaleringen er avsluttet. NAV-veileder og kommunal kontakt får beskjed.",
    };

    public sealed class AttemptInput
    {
        public string? Channel { get; set; }

        public string? Outcome { get; set; }

        public string? At { get; set; }

        public string? Note { get; set; }
    }

    public sealed class ResolveInput
    {
        public string? Resolution { get; set; }

        public string? Note { get; set; }
    }

    [FromRoute]
    public Guid EscalationId { get; set; }

    [BindProperty]
    public AttemptInput Attempt { get; set; } = new();

    [BindProperty]
    public ResolveInput Resolve { get; set; } = new();

    public EscalationDetailView? Escalation { get; private set; }

    public ReachProfileView? Reach { get; private set; }

    public string? SavedText => Saved is null ? null : SavedTexts.GetValueOrDefault(Saved);

    private string ApiPath => $"/coordination/escalations/{EscalationId}";

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostTaAsync(CancellationToken cancellationToken)
    {
        var result = await Api.PostAsync<object>(ApiPath + "/acknowledge", new { }, cancellationToken);
        return await AfterAsync(result.Problem, "tatt", new Dictionary<string, string>(), cancellationToken);
    }

    public async Task<IActionResult> OnPostForsokAsync(CancellationToken cancellationToken)
    {
        string? at = null;
        if (!string.IsNullOrWhiteSpace(Attempt.At))
        {
            if (DateTime.TryParse(Attempt.At, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                at = Display.InstantOf(local).ToString("O", CultureInfo.InvariantCulture);
            }
            else
            {
                ModelState.AddModelError("Attempt.At", "Skriv tidspunktet som dato og klokkeslett.");
            }
        }

        if (Attempt.Channel is null || !FollowUpVocabulary.AttemptChannels.ContainsKey(Attempt.Channel))
        {
            ModelState.AddModelError("Attempt.Channel", "Velg hvilken kanal du brukte.");
        }

        if (Attempt.Outcome is null || !FollowUpVocabulary.AttemptOutcomes.ContainsKey(Attempt.Outcome))
        {
            ModelState.AddModelError("Attempt.Outcome", "Velg hvordan det gikk.");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var result = await Api.PostAsync<object>(
            ApiPath + "/contact-attempts",
            new { channel = Attempt.Channel, outcome = Attempt.Outcome, at, note = string.IsNullOrWhiteSpace(Attempt.Note) ? null : Attempt.Note.Trim() },
            cancellationToken);
        return await AfterAsync(result.Problem, "forsok", new Dictionary<string, string> { ["channel"] = "Attempt.Channel", ["outcome"] = "Attempt.Outcome", ["at"] = "Attempt.At", ["note"] = "Attempt.Note" }, cancellationToken);
    }

    public async Task<IActionResult> OnPostAvsluttAsync(CancellationToken cancellationToken)
    {
        if (Resolve.Resolution is null || !FollowUpVocabulary.Resolutions.ContainsKey(Resolve.Resolution))
        {
            ModelState.AddModelError("Resolve.Resolution", "Velg utfallet.");
        }

        if (string.IsNullOrWhiteSpace(Resolve.Note))
        {
            ModelState.AddModelError("Resolve.Note", "Skriv kort hva som skjedde og hva som skjer videre.");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var result = await Api.PostAsync<object>(ApiPath + "/resolve", new { resolution = Resolve.Resolution, note = Resolve.Note!.Trim() }, cancellationToken);
        return await AfterAsync(result.Problem, "avsluttet", new Dictionary<string, string> { ["resolution"] = "Resolve.Resolution", ["note"] = "Resolve.Note" }, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(ApiProblem? problem, string saved, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        if (problem is null)
        {
            return Redirect($"/sider/eskaleringer/{EscalationId}?lagret={saved}");
        }

        if (problem.Errors.Count > 0)
        {
            ShowFieldErrors(problem, fields);
        }
        else
        {
            Problem = problem;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Escalation = Keep(await Api.GetAsync<EscalationDetailView>(ApiPath, cancellationToken));
        if (Escalation is not null)
        {
            Reach = (await Api.GetAsync<ReachProfileView>($"/persons/{Escalation.PersonKey}/reach", cancellationToken)).Value;
        }
    }
}
