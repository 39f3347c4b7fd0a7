using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Messaging.Auth;

public static class HubAuthentication
{
    /// <summary>Forwards each request to the JWT scheme of the token's issuer.</summary>
    public const string Scheme = "hub";

    /// <summary>
    /// One JWT bearer scheme per trusted issuer, selected by the token's <c>iss</c>, and each
    /// issuer's claims mapped to <see cref="HubClaims"/>.
    /// </summary>
    public static AuthenticationBuilder AddHubAuthentication(
        this IServiceCollection services, HubAuthOptions options, DevelopmentIssuer? developmentIssuer)
    {
        var issuers = options.Issuers.ToList();
        if (developmentIssuer is not null)
        {
            issuers.Add(developmentIssuer.AsTrustedIssuer());
        }

        var schemeByIssuer = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var issuer in issuers)
        {
            foreach (var iss in issuer.Entra is { } entra ? [entra.Authority, entra.V1Issuer] : new[] { issuer.Issuer })
            {
                schemeByIssuer.Add(iss, SchemeName(issuer));
            }
        }

        var builder = services.AddAuthentication(Scheme);
        builder.AddScheme<AuthenticationSchemeOptions, RejectedTokenHandler>(RejectedTokenHandler.SchemeName, null);
        builder.AddPolicyScheme(Scheme, "Hub bearer token", policy =>
        {
            // Only a validated iss chooses an issuer: the scheme then checks that very iss, the
            // signature, audience and algorithm. No token, an unreadable one or an unknown issuer
            // goes to a scheme that trusts nothing, so the answer is 401, never another issuer's say.
            policy.ForwardDefaultSelector = context =>
                IssuerOf(context.Request.Headers.Authorization.ToString()) is { } iss && schemeByIssuer.TryGetValue(iss, out var scheme)
                    ? scheme
                    : RejectedTokenHandler.SchemeName;
        });

        foreach (var issuer in issuers)
        {
            if (issuer.Entra is { } entra)
            {
                // Microsoft.Identity.Web checks the tenant (iss against tid, v1.0 and v2.0 issuers),
                // that the signing key is the tenant's, the audience (the client id or api://client
                // id) and that the token carries roles or scopes at all; the hub's rules come on top.
                builder.AddMicrosoftIdentityWebApi(
                    jwt => ConfigureJwt(jwt, issuer, options, developmentIssuer),
                    identity =>
                    {
                        identity.Instance = entra.Instance;
                        identity.TenantId = entra.TenantId;
                        identity.ClientId = entra.ClientId;
                    },
                    SchemeName(issuer));
            }
            else
            {
                builder.AddJwtBearer(SchemeName(issuer), jwt => ConfigureJwt(jwt, issuer, options, developmentIssuer));
            }
        }

        return builder;
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, TrustedIssuerOptions issuer, HubAuthOptions options, DevelopmentIssuer? developmentIssuer)
    {
        jwt.MapInboundClaims = false;
        if (developmentIssuer is not null && issuer.Issuer == developmentIssuer.Issuer)
        {
            jwt.RequireHttpsMetadata = false;
            jwt.TokenValidationParameters.IssuerSigningKey = developmentIssuer.SigningKey;
        }
        else
        {
            jwt.Authority = issuer.Entra?.Authority ?? issuer.Authority;
            jwt.RequireHttpsMetadata = issuer.RequireHttpsMetadata;
        }

        var validation = jwt.TokenValidationParameters;
        validation.ValidateIssuer = true;
        if (issuer.Entra is { } entra)
        {
            // Microsoft.Identity.Web's issuer check fills {tenantid} from the token's tid, so iss and
            // tid must name the same tenant; that it is NAV's is checked when the token is validated.
            validation.ValidIssuers = entra.IssuerTemplates;

            // Entra writes the app's client id (v2.0 tokens) or its App ID URI (v1.0) as audience.
            // Named here, not left to Microsoft.Identity.Web, whose audience check takes its choice
            // from the first token it sees and keeps it for every later one.
            validation.ValidAudiences = issuer.Audience is { } audience ? [audience] : [entra.ClientId, $"api://{entra.ClientId}"];
        }
        else
        {
            validation.ValidIssuer = issuer.Issuer;
            validation.ValidAudience = issuer.Audience ?? options.Audience;
        }

        validation.ValidateAudience = true;
        validation.RequireAudience = true;
        validation.ValidAlgorithms = issuer.AcceptedAlgorithms;
        validation.ValidateIssuerSigningKey = true;
        validation.RequireSignedTokens = true;
        validation.RequireExpirationTime = true;
        validation.ClockSkew = TimeSpan.FromMinutes(1);
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (issuer.Entra is { } tenant && context.Principal!.FindFirst("tid")?.Value != tenant.TenantId)
                {
                    context.Fail("The token is not from the configured Entra ID tenant.");
                    return Task.CompletedTask;
                }

                context.Principal = ToHubPrincipal(context.Principal!, issuer);
                return Task.CompletedTask;
            },
        };
    }

    private static string SchemeName(TrustedIssuerOptions issuer) => $"jwt-{issuer.Name}";

    /// <summary>The <c>iss</c> of a bearer token, or null when there is none or it cannot be read.</summary>
    private static string? IssuerOf(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var raw = authorization["Bearer ".Length..].Trim();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(raw))
        {
            return null;
        }

        try
        {
            return handler.ReadJsonWebToken(raw).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or System.Text.Json.JsonException or FormatException)
        {
            // A header or payload that is not JSON: a malformed token, refused as unauthenticated.
            return null;
        }
    }

    /// <summary>
    /// A principal with only the hub's claims. The token's own claims are dropped, so a token that
    /// carries <c>hub_role</c> or a role claim of its own can never stand in for the mapping.
    /// </summary>
    private static ClaimsPrincipal ToHubPrincipal(ClaimsPrincipal token, TrustedIssuerOptions issuer)
    {
        var hubClaims = new List<Claim>();
        // Scope claims carry several values separated by spaces; role claims one value each.
        var values = token.FindAll(issuer.RoleClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var hubRole in values.SelectMany(v => issuer.RoleMap.Where(m => m.Value == v).Select(m => m.Role)).Distinct())
        {
            hubClaims.Add(new Claim(HubClaims.Role, hubRole));
        }

        if (token.FindFirst(issuer.PartyClaim) is { } party)
        {
            hubClaims.Add(new Claim(HubClaims.Party, party.Value));
        }

        if ((issuer.PartyKind ?? token.FindFirst(issuer.PartyKindClaim)?.Value) is { } kind && HubClaims.PartyKinds.ContainsKey(kind))
        {
            hubClaims.Add(new Claim(HubClaims.PartyKind, kind));
        }

        if (token.FindFirst(issuer.UserClaim) is { } user)
        {
            hubClaims.Add(new Claim(HubClaims.User, user.Value));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(hubClaims, "hub", HubClaims.User, HubClaims.Role));
    }
}
