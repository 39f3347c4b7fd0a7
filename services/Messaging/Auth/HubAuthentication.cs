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

                var validation = jwt.TokenValidationParameters;
                validation.ValidIssuer = issuer.Issuer;
                validation.ValidateIssuer = true;
                validation.ValidAudience = issuer.Audience ?? options.Audience;
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
                        context.Principal = ToHubPrincipal(context.Principal!, issuer);
                        return Task.CompletedTask;
                    },
                };
            });
        }

        return builder;
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
