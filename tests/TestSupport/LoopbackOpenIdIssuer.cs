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

    /// <summary>The server's address: the authority of a plain issuer, the instance of an Entra tenant.</summary>
    public string Authority => _server.Url!;

    public string Issuer { get; }

    public static Task<LoopbackOpenIdIssuer> StartAsync(string issuer) => Task.FromResult(Start(_ => issuer, string.Empty, "/jwks"));

    /// <summary>
    /// An Entra ID tenant: metadata under <c>/{tenant}/v2.0</c>, as Microsoft.Identity.Web asks for
    /// it, and the tenant's v2.0 issuer. Its <see cref="Authority"/> is the Entra instance.
    /// </summary>
    public static Task<LoopbackOpenIdIssuer> StartEntraAsync(string tenantId) =>
        Task.FromResult(Start(url => $"{url}/{tenantId}/v2.0", $"/{tenantId}/v2.0", $"/{tenantId}/discovery/v2.0/keys"));

    private static LoopbackOpenIdIssuer Start(Func<string, string> issuerAt, string metadataPrefix, string keysPath)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        var server = LoopbackWireMock.Start();
        var issuer = issuerAt(server.Url!);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        server.Given(Request.Create().WithPath($"{metadataPrefix}/.well-known/openid-configuration").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = $"{server.Url}{keysPath}",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            })));
        server.Given(Request.Create().WithPath(keysPath).UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } })));
        return new LoopbackOpenIdIssuer(server, key, issuer);
    }

    /// <param name="issuer">Another issuer than <see cref="Issuer"/>, e.g. an Entra tenant's v1.0 form.</param>
    public string CreateToken(string audience, IDictionary<string, object> claims, SecurityKey? signWith = null, string? issuer = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
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
