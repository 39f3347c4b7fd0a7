using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IntegrationHub.Pages.Pages;

public sealed class IkkeTilgangModel : PageModel
{
    public string Heading { get; private set; } = string.Empty;

    public string Explanation { get; private set; } = string.Empty;

    public void OnGet([FromQuery(Name = "grunn")] string? reason)
    {
        if (reason == "innlogging")
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Heading = "Du er ikke logget inn";
            Explanation = "Logg inn gjennom virksomhetens innlogging, og prøv igjen.";
        }
        else
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Heading = "Du har ikke tilgang til denne siden";
            Explanation = "Siden er for en annen rolle enn din. Spør lederen din hvis du mener du skal ha tilgang.";
        }
    }
}
