using IntegrationHub.Messaging.Auth;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Pages.Pages;

/// <summary>Sends each role to the page it starts its day on.</summary>
public sealed class StartModel(HubApi api) : HubPage(api, HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
{
    public IActionResult OnGet() => Redirect(User.HubRole() == HubRoles.Coordinator ? "/sider/arbeidsliste" : "/sider/innboks");
}
