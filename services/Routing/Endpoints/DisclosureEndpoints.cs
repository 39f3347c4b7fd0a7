using System.Globalization;
using System.Net;
using System.Text;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Routing.Domain;
using IntegrationHub.Routing.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Endpoints;

/// <summary>What was shared about a person, with whom, when and why: as JSON, and as a page to print and hand over.</summary>
public static class DisclosureEndpoints
{
    /// <param name="RecipientName">The unit in bokmål, e.g. "Oslo kommune (0301)".</param>
    /// <param name="Outcome">delivered, withheld, or retracted (delivered, then taken back when its consent was withdrawn).</param>
    public sealed record DisclosureView(
        DateTimeOffset DecidedAt, string Recipient, string RecipientId, string RecipientName, string Source, string Kind, string Category, string CategoryLabel,
        string Outcome, string BasisOrReason, DateTimeOffset? RetractedAt);

    public static IEndpointRouteBuilder MapDisclosures(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/persons/{personKey}/disclosures", async (string personKey, HttpContext http, RoutingDbContext db, CareTeam team, TimeProvider time, CancellationToken ct) =>
                await ReadAsync(personKey, http, db, team, time, "persons/disclosures", ct) is { } list ? Results.Ok(list) : Denied(personKey))
            .RequireHubRoles(HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .WithTags("Disclosures")
            .WithName("ListDisclosures")
            .WithSummary("What was shared about the person, with whom, when, which categories and on which basis. Audited.");

        endpoints.MapGet("/persons/{personKey}/disclosures/print", async (string personKey, HttpContext http, RoutingDbContext db, CareTeam team, TimeProvider time, CancellationToken ct) =>
                await ReadAsync(personKey, http, db, team, time, "persons/disclosures/print", ct) is { } list
                    ? Results.Content(PrintablePage(list, time.GetUtcNow()), "text/html; charset=utf-8")
                    : Denied(personKey))
            .RequireHubRoles(HubRoles.Coordinator, HubRoles.NavAdvisor, HubRoles.MunicipalCaseworker)
            .WithTags("Disclosures")
            .WithName("PrintDisclosures")
            .WithSummary("The same, as a printable page in plain bokmål for a person who cannot use digital channels. Audited.");
        return endpoints;
    }

    private static IResult Denied(string personKey) =>
        PersonKeyGenerator.LooksLikeKey(personKey)
            ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your person", detail: "Only the units that follow the person now (its NAV office, its municipality, or a coordinator working for one of them) may see this.")
            : Results.ValidationProblem(new Dictionary<string, string[]> { ["personKey"] = ["Not a person key. Get one with POST /persons/key."] });

    /// <summary>The disclosures, or null when the caller may not see them (refusals are audited too).</summary>
    private static async Task<List<DisclosureView>?> ReadAsync(
        string personKey, HttpContext http, RoutingDbContext db, CareTeam team, TimeProvider time, string resource, CancellationToken cancellationToken)
    {
        if (!PersonKeyGenerator.LooksLikeKey(personKey))
        {
            return null;
        }

        var allowed = await team.MaySeeAsync(http.User, personKey, cancellationToken);
        db.AuditRead(http.User, personKey, resource, "show the person what was shared", allowed, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        if (!allowed)
        {
            return null;
        }

        var rows = db.Disclosures.AsNoTracking().Where(d => d.PersonKey == personKey);
        if (PersonAccess.SeesOwnRecordsOnly(http.User) && PersonAccess.UnitOf(http.User) is { } unit)
        {
            // What was decided for another unit is that unit's record (and tells that it follows the person).
            rows = rows.Where(d => d.RecipientKind == unit.Kind && d.RecipientId == unit.Id);
        }

        return (await rows.ToListAsync(cancellationToken))
            .OrderByDescending(d => d.DecidedAt).ThenBy(d => d.RecipientKind).ThenBy(d => d.Category)
            .Select(d => new DisclosureView(
                d.DecidedAt, RoutingPolicy.RecipientCode(d.RecipientKind), d.RecipientId, UnitNames.Of(new PartyReference(d.RecipientKind, d.RecipientId)),
                d.Source, d.Kind, d.Category, DataCategory.Labels.GetValueOrDefault(d.Category, d.Category), d.Outcome, d.BasisOrReason, d.RetractedAt))
            .ToList();
    }

    private static string PrintablePage(IReadOnlyList<DisclosureView> disclosures, DateTimeOffset now)
    {
        static string H(string text) => WebUtility.HtmlEncode(text);
        var norway = ConsentGranted.Norway;
        string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, norway).ToString("dd.MM.yyyy 'kl.' HH:mm", CultureInfo.InvariantCulture);
        string Recipient(DisclosureView d) => d.Recipient == "coordinator" ? "Koordinatoren som passer på at noen følger deg opp" : d.RecipientName;
        string From(DisclosureView d) => d.Source switch
        {
            "gp" => "fastlegen din",
            "nav" => "NAV",
            "municipality" => "kommunen",
            _ => "koordinatoren",
        };

        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="nb">
            <head>
            <meta charset="utf-8">
            <title>Dette er delt om deg</title>
            <style>
              body { font-family: system-ui, sans-serif; font-size: 12pt; line-height: 1.5; color: #111; max-width: 50em; margin: 2em auto; }
              table { border-collapse: collapse; width: 100%; }
              th, td { border: 1px solid #555; padding: .4em; text-align: left; vertical-align: top; }
              th { background: #eee; }
              .withheld { font-style: italic; }
              @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
            </style>
            </head>
            <body>
            <main>
            <h1>Dette er delt om deg</h1>
            """);
        page.Append(CultureInfo.InvariantCulture, $"<p>Oversikten er laget {H(Date(now))}. Den viser hva som er sendt videre om deg, til hvem, og hvorfor det var lov.</p>\n");
        page.Append("<p>Du kan be om å få rettet eller slettet opplysninger. Du får svar innen en måned. Spør koordinatoren din eller veilederen din.</p>\n");
        if (disclosures.Count == 0)
        {
            page.Append("<p>Ingenting er delt om deg.</p>\n");
        }
        else
        {
            page.Append("<table>\n<caption>Delt og ikke delt</caption>\n<thead><tr><th scope=\"col\">Når</th><th scope=\"col\">Fra</th><th scope=\"col\">Til</th><th scope=\"col\">Hva</th><th scope=\"col\">Hvorfor</th></tr></thead>\n<tbody>\n");
            foreach (var d in disclosures)
            {
                var why = d.Outcome switch
                {
                    "delivered" => H(d.BasisOrReason == "samtykke" ? "Du har samtykket" : $"Loven tillater det ({d.BasisOrReason})"),
                    "retracted" => $"<span class=\"withheld\">Trukket tilbake {H(Date(d.RetractedAt!.Value))}: du trakk samtykket før mottakeren hadde lest det</span>",
                    _ => $"<span class=\"withheld\">Ikke delt: {H(d.BasisOrReason)}</span>",
                };
                page.Append(CultureInfo.InvariantCulture, $"<tr><td>{H(Date(d.DecidedAt))}</td><td>{H(From(d))}</td><td>{H(Recipient(d))}</td><td>{H(d.CategoryLabel)}</td><td>{why}</td></tr>\n");
            }

            page.Append("</tbody>\n</table>\n");
        }

        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }
}
