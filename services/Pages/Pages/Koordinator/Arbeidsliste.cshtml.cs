using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Validation;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Koordinator;

/// <summary>The coordinator's worklist: the API's order and filters, each row in words.</summary>
public sealed class ArbeidslisteModel(HubApi api) : HubPage(api, HubRoles.Coordinator)
{
    [FromQuery(Name = "kommune")]
    public string? Municipality { get; set; }

    [FromQuery(Name = "navkontor")]
    public string? NavOffice { get; set; }

    public IReadOnlyList<WorklistRow>? Rows { get; private set; }

    /// <summary>Open access, correction and deletion requests, most urgent first.</summary>
    public IReadOnlyList<OpenRightsRequestRow>? RightsRequests { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Municipality = string.IsNullOrWhiteSpace(Municipality) ? null : Municipality.Trim();
        NavOffice = string.IsNullOrWhiteSpace(NavOffice) ? null : NavOffice.Trim();
        if ((Municipality is not null && !UnitNumber.IsValid(Municipality)) || (NavOffice is not null && !UnitNumber.IsValid(NavOffice)))
        {
            Problem = new ApiProblem(400, "Kommunenummer og NAV-kontor har 4 siffer.", null, new Dictionary<string, string[]>());
            return;
        }

        var query = new List<string>();
        if (Municipality is not null)
        {
            query.Add("municipality=" + Municipality);
        }

        if (NavOffice is not null)
        {
            query.Add("navOffice=" + NavOffice);
        }

        RightsRequests = Keep(await Api.GetAsync<List<OpenRightsRequestRow>>("/coordination/rights-requests", cancellationToken));
        Rows = Keep(await Api.GetAsync<List<WorklistRow>>("/coordination/worklist" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken));
    }
}
