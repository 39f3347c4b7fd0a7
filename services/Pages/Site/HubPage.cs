using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Pages.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Pages;

/// <summary>
/// A page for signed-in staff in the given roles. The token is the API's (the platform's sign-in
/// proxy forwards it; in development the sign-in page sets it), so there is no second user store.
/// </summary>
public abstract class HubPage(HubApi api, params string[] roles) : PageModel
{
    protected HubApi Api { get; } = api;

    /// <summary>The API's problem with the last call, shown above the page's content.</summary>
    public ApiProblem? Problem { get; set; }

    /// <summary>A short confirmation after a form was saved (post-redirect-get).</summary>
    [BindProperty(SupportsGet = true, Name = "lagret")]
    public string? Saved { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            var developmentSignIn = HttpContext.RequestServices.GetService<DevelopmentIssuer>() is not null;
            context.Result = developmentSignIn
                ? Redirect("/sider/logg-inn?tilbake=" + Uri.EscapeDataString(Request.Path + Request.QueryString))
                : Redirect("/sider/ikke-tilgang?grunn=innlogging");
            return;
        }

        if (!roles.Contains(User.HubRole()))
        {
            context.Result = Redirect("/sider/ikke-tilgang?grunn=rolle");
            return;
        }

        if (RouteData.Values.TryGetValue("personKey", out var key) && !PersonKeyGenerator.LooksLikeKey(key as string))
        {
            context.Result = NotFound();
            return;
        }

        var executed = await next();
        // A refusal by the API is the page's answer too: the page explains it, with the same status.
        if (Problem is { Status: StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound } refused && executed.Result is PageResult page)
        {
            page.StatusCode = refused.Status;
        }
    }

    /// <summary>Keeps the API's answer when it failed, so the page can say why.</summary>
    protected T? Keep<T>(ApiResult<T> result)
    {
        Problem ??= result.Problem;
        return result.Value;
    }

    /// <summary>Copies the API's field errors onto the form's fields, under the page's names for them.</summary>
    protected void ShowFieldErrors(ApiProblem problem, IReadOnlyDictionary<string, string> fieldNames)
    {
        foreach (var (apiField, messages) in problem.Errors)
        {
            var field = fieldNames.GetValueOrDefault(apiField, apiField);
            foreach (var message in messages)
            {
                ModelState.AddModelError(field, message);
            }
        }
    }
}
