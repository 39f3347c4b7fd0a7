using System.Security.Cryptography;
using System.Web;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace IntegrationHub.TestSupport;

/// <summary>
/// Maskinporten's token endpoint (<c>POST /token</c>, the JWT grant of RFC 7523) on WireMock.Net,
/// on loopback, with the key pair the hub's client signs its grants with.
/// </summary>
public sealed class LoopbackMaskinporten : IDisposable
{
    public const string Token = "maskinporten-access-token";

    private readonly WireMockServer _server;

    private LoopbackMaskinporten(WireMockServer server, RSA key)
    {
        _server = server;
        ClientKey = key;
    }

    /// <summary>The issuer, the audience the grant must name.</summary>
    public string Issuer => _server.Url + "/";

    /// <summary>The hub's key pair as registered with Maskinporten.</summary>
    public RSA ClientKey { get; }

    public string ClientKeyPem => ClientKey.ExportPkcs8PrivateKeyPem();

    /// <summary>The grants (assertions) asked with, in order.</summary>
    public IReadOnlyList<string> Grants => _server.LogEntries
        .Where(e => e.RequestMessage.Path == "/token")
        .Select(e => HttpUtility.ParseQueryString(e.RequestMessage.Body ?? string.Empty))
        .Where(form => form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        .Select(form => form["assertion"] ?? string.Empty)
        .ToList();

    /// <summary>Issues <see cref="Token"/> for the given lifetime to every grant.</summary>
    public static LoopbackMaskinporten Start(int expiresInSeconds = 120)
    {
        var maskinporten = new LoopbackMaskinporten(LoopbackWireMock.Start(), RSA.Create(2048));
        maskinporten.Answer(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"{{Token}}","token_type":"Bearer","expires_in":{{expiresInSeconds}},"scope":"krr:global/kontaktinformasjon.read"}"""));
        return maskinporten;
    }

    /// <summary>From now on, every grant is refused as Maskinporten refuses one it cannot trust.</summary>
    public void Refuse() => Answer(Response.Create()
        .WithStatusCode(400)
        .WithHeader("Content-Type", "application/json")
        .WithBody("""{"error":"invalid_grant","error_description":"Invalid assertion. Client authentication failed."}"""));

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        ClientKey.Dispose();
    }

    private void Answer(IResponseBuilder response) =>
        _server.Given(Request.Create().WithPath("/token").UsingPost())
            .WithGuid(Guid.Parse("6d61736b-696e-706f-7274-656e746f6b65"))
            .RespondWith(response);
}
