using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

public sealed class TidslinjeModel(HubApi api) : PersonPage(api, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public IReadOnlyList<TimelineLine>? Lines { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Lines = Keep(await Api.GetAsync<List<TimelineLine>>($"/persons/{PersonKey}/timeline", cancellationToken))?.OrderBy(l => l.At).ToList();
}
