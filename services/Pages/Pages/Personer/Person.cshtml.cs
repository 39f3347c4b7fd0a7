using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages.Personer;

public sealed class PersonModel(HubApi api) : HubPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    [FromRoute]
    public string PersonKey { get; set; } = string.Empty;

    public void OnGet()
    {
    }
}
