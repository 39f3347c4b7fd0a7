using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

/// <summary>The printable disclosure report: what was shared about the person, with whom and why, on paper for those without digital access.</summary>
public sealed class UtlevertModel(HubApi api, TimeProvider time) : PersonPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public DateTimeOffset PrintedAt { get; private set; }

    public IReadOnlyList<DisclosureRow>? Rows { get; private set; }

    /// <summary>A coordinator's report has every unit's rows; an advisor's or caseworker's only its own unit's (the API decides).</summary>
    public bool WholeReport => !PersonAccess.SeesOwnRecordsOnly(User);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PrintedAt = time.GetUtcNow();
        Rows = Keep(await Api.GetAsync<List<DisclosureRow>>($"/persons/{PersonKey}/disclosures", cancellationToken));
    }
}
