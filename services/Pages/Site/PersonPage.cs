using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IntegrationHub.Pages;

/// <summary>
/// A page about one person: it names them ("Kari Nordmann, f. 12.03.1991") from the API's identity,
/// which the API audits like any read. When the API will not say who it is, the page's own call
/// explains why; the heading then says only that the name is not known.
/// </summary>
public abstract class PersonPage(HubApi api, params string[] roles) : HubPage(api, roles)
{
    [FromRoute]
    public string PersonKey { get; set; } = string.Empty;

    public PersonIdentityView? Person { get; private set; }

    /// <summary>"Kari Nordmann, f. 12.03.1991".</summary>
    public string PersonName => Display.Person(Person);

    public override Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next) =>
        base.OnPageHandlerExecutionAsync(context, async () =>
        {
            Person = (await Api.GetAsync<PersonIdentityView>($"/persons/{PersonKey}/identity", HttpContext.RequestAborted)).Value;
            return await next();
        });
}
