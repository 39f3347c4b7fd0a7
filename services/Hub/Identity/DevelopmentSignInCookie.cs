using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.Hub.Identity;

/// <summary>
/// Development only: the pages' sign-in stores a development-issuer token in a cookie, and this
/// turns it into the bearer header the platform's sign-in proxy sends in production, so the same
/// JWT validation applies. Only the pages read it; the API keeps to explicit bearer tokens, so a
/// cookie never authorises a cross-site API call.
/// </summary>
public static class DevelopmentSignInCookie
{
    public static IApplicationBuilder UseDevelopmentSignInCookie(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(DevelopmentIssuer.PagesPath, StringComparison.Ordinal)
            && string.IsNullOrEmpty(context.Request.Headers.Authorization)
            && context.Request.Cookies.TryGetValue(DevelopmentIssuer.SignInCookie, out var token)
            && !string.IsNullOrWhiteSpace(token))
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        await next(context);
    });
}
