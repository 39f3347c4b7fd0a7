using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
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

        var schemeByIssuer = issuers.ToDictionary(i => i.Issuer, i => SchemeName(i), StringComparer.Ordinal);
        var fallback = issuers.Count > 0 ? SchemeName(issuers[0]) : null;

        var builder = services.AddAuthentication(Scheme);
        builder.AddPolicyScheme(Scheme, "Hub bearer token", policy =>
        {
            policy.ForwardDefaultSelector = context =>
            {
                var header = context.Request.Headers.Authorization.ToString();
                if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    var handler = new JsonWebTokenHandler();
                    var raw = header["Bearer ".Length..].Trim();
                    if (handler.CanReadToken(raw)
                        && schemeByIssuer.TryGetValue(handler.ReadJsonWebToken(raw).Issuer, out var scheme))
                    {
                        return scheme;
                    }
                }

                return fallback;
            };
        });

        foreach (var issuer in issuers)
        {
            builder.AddJwtBearer(SchemeName(issuer), jwt =>
            {
                jwt.MapInboundClaims = false;
                if (developmentIssuer is not null && issuer.Issuer == developmentIssuer.Issuer)
                {
                    jwt.RequireHttpsMetadata = false;
                    jwt.TokenValidationParameters.IssuerSigningKey = developmentIssuer.SigningKey;
                }
                else
                {
                    jwt.Authority = issuer.Authority;
                    jwt.RequireHttpsMetadata = issuer.RequireHttpsMetadata;
                }

                jwt.TokenValidationParameters.ValidIssuer = issuer.Issuer;
                jwt.TokenValidationParameters.ValidAudience = issuer.Audience ?? options.Audience;
                jwt.TokenValidationParameters.ValidateIssuerSigningKey = true;
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        MapToHubClaims(context.Principal!, issuer);
                        return Task.CompletedTask;
                    },
                };
            });
        }

        return builder;
    }

    private static string SchemeName(TrustedIssuerOptions issuer) => $"jwt-{issuer.Name}";

    private static void MapToHubClaims(ClaimsPrincipal principal, TrustedIssuerOptions issuer)
    {
        var hubClaims = new List<Claim>();
        // Scope claims carry several values separated by spaces; role claims one value each.
        var values = principal.FindAll(issuer.RoleClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var hubRole in values.SelectMany(v => issuer.RoleMap.Where(m => m.Value == v).Select(m => m.Role)).Distinct())
        {
            hubClaims.Add(new Claim(HubClaims.Role, hubRole));
        }

        if (principal.FindFirst(issuer.PartyClaim) is { } party)
        {
            hubClaims.Add(new Claim(HubClaims.Party, party.Value));
        }

        if (principal.FindFirst(issuer.UserClaim) is { } user)
        {
            hubClaims.Add(new Claim(HubClaims.User, user.Value));
        }

        principal.AddIdentity(new ClaimsIdentity(hubClaims, "hub", HubClaims.User, HubClaims.Role));
    }
}
