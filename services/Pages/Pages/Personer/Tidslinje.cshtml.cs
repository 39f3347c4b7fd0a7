using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

public sealed class TidslinjeModel(HubApi api) : HubPage(api, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    [FromRoute]
    public string PersonKey { get; set; } = string.Empty;

    public IReadOnlyList<TimelineLine>? Lines { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Lines = Keep(await Api.GetAsync<List<TimelineLine>>($"/persons/{PersonKey}/timeline", cancellationToken))?.OrderBy(l => l.At).ToList();
}
