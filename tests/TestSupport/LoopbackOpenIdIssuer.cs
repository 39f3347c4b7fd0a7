using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.TestSupport;

/// <summary>
/// An OpenID Connect issuer (metadata and JWKS) on a loopback Kestrel server, standing in for
/// Entra ID, HelseID or Maskinporten, with an RSA key it signs tokens with.
/// </summary>
public sealed class LoopbackOpenIdIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;

    private LoopbackOpenIdIssuer(WebApplication app, RsaSecurityKey key, string authority, string issuer)
    {
        _app = app;
        _key = key;
        Authority = authority;
        Issuer = issuer;
    }

    public string Authority { get; }

    public string Issuer { get; }

    public static async Task<LoopbackOpenIdIssuer> StartAsync(string issuer)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        var app = LoopbackApp.Create();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        app.MapGet("/.well-known/openid-configuration", (HttpContext http) => Results.Content(
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = $"{http.Request.Scheme}://{http.Request.Host}/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }),
            "application/json"));
        app.MapGet("/jwks", () => Results.Content(
            JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }),
            "application/json"));
        var address = await LoopbackApp.StartAsync(app);
        return new LoopbackOpenIdIssuer(app, key, address, issuer);
    }

    public string CreateToken(string audience, IDictionary<string, object> claims, SecurityKey? signWith = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = claims,
            SigningCredentials = new SigningCredentials(signWith ?? _key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
