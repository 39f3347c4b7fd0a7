using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IntegrationHub.Pages.Pages;

/// <summary>
/// Development only: pick a role and party and get a development-issuer token in a cookie. The
/// development issuer is never registered in Production, so there this page does not exist.
/// </summary>
public sealed class LoggInnModel(IServiceProvider services) : PageModel
{
    public static IReadOnlyList<(string Code, string Label)> Roles { get; } =
    [
        (HubRoles.Coordinator, "Koordinator"),
        (HubRoles.NavAdvisor, "NAV-veileder"),
        (HubRoles.MunicipalCaseworker, "Kommunal saksbehandler"),
    ];

    public sealed class SignInInput
    {
        public string? Role { get; set; } = HubRoles.Coordinator;

        public string? Party { get; set; }

        /// <summary>For a coordinator: whether the unit is a municipality or a NAV office (both have 4 digits).</summary>
        public string? PartyKind { get; set; } = "municipality";

        public string? User { get; set; }

        public string? ReturnUrl { get; set; }
    }

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    private DevelopmentIssuer? Issuer => services.GetService(typeof(DevelopmentIssuer)) as DevelopmentIssuer;

    public IActionResult OnGet([FromQuery(Name = "tilbake")] string? returnUrl)
    {
        if (Issuer is null)
        {
            return NotFound();
        }

        Input.ReturnUrl = returnUrl;
        return Page();
    }

    public IActionResult OnPost()
    {
        if (Issuer is not { } issuer)
        {
            return NotFound();
        }

        if (!Roles.Any(r => r.Code == Input.Role))
        {
            ModelState.AddModelError("Input.Role", "Velg en rolle.");
        }

        if (!UnitNumber.IsValid(Input.Party?.Trim()))
        {
            ModelState.AddModelError("Input.Party", "Skriv enhetsnummeret med 4 siffer, for eksempel 0301.");
        }

        if (Input.Role == HubRoles.Coordinator && Input.PartyKind is not ("municipality" or "nav"))
        {
            ModelState.AddModelError("Input.PartyKind", "Velg om du er koordinator for en kommune eller et NAV-kontor.");
        }

        if (string.IsNullOrWhiteSpace(Input.User) || Input.User.Trim().Length > 64)
        {
            ModelState.AddModelError("Input.User", "Skriv en bruker-id (høyst 64 tegn).");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        Response.Cookies.Append(DevelopmentIssuer.SignInCookie, issuer.CreateToken(Input.Role!, Input.Party!.Trim(), Input.User!.Trim(), Input.PartyKind), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = DevelopmentIssuer.PagesPath,
            Secure = Request.IsHttps,
        });
        // Only a local path: a sign-in page must never send people on to another site.
        var target = Input.ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith(DevelopmentIssuer.PagesPath, StringComparison.Ordinal) ? url : "/sider";
        return LocalRedirect(target);
    }

    public IActionResult OnPostLoggUt()
    {
        Response.Cookies.Delete(DevelopmentIssuer.SignInCookie, new CookieOptions { Path = DevelopmentIssuer.PagesPath });
        return Issuer is null ? Redirect("/sider/ikke-tilgang?grunn=innlogging") : Redirect("/sider/logg-inn");
    }
}
