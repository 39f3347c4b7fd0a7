using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace IntegrationHub.TestSupport;

/// <summary>
/// An OpenID Connect issuer (discovery document and JWKS) on WireMock.Net, on loopback, standing
/// in for Entra ID, HelseID or Maskinporten, with an RSA key it signs tokens with.
/// </summary>
public sealed class LoopbackOpenIdIssuer : IAsyncDisposable
{
    private readonly WireMockServer _server;
    private readonly RsaSecurityKey _key;

    private LoopbackOpenIdIssuer(WireMockServer server, RsaSecurityKey key, string issuer)
    {
        _server = server;
        _key = key;
        Issuer = issuer;
    }

    public string Authority => _server.Url!;

    public string Issuer { get; }

    public static Task<LoopbackOpenIdIssuer> StartAsync(string issuer)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        var server = LoopbackWireMock.Start();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        server.Given(Request.Create().WithPath("/.well-known/openid-configuration").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = $"{server.Url}/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            })));
        server.Given(Request.Create().WithPath("/jwks").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } })));
        return Task.FromResult(new LoopbackOpenIdIssuer(server, key, issuer));
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

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        _key.Rsa.Dispose();
        return ValueTask.CompletedTask;
    }
}
