using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Messaging.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Coordination.Krr;

/// <summary>The hub's Maskinporten client for KRR (section <c>Coordination:Krr:Maskinporten</c>).</summary>
public sealed class MaskinportenOptions
{
    public const string Section = KrrOptions.Section + ":Maskinporten";

    /// <summary>Maskinporten's issuer, e.g. https://maskinporten.no/: the audience of the hub's grant.</summary>
    public string? Issuer { get; set; }

    /// <summary>Where tokens are asked for; by default <c>{Issuer}token</c>.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>The hub's integration id in Samarbeidsportalen.</summary>
    public string? ClientId { get; set; }

    public string Scope { get; set; } = "krr:global/kontaktinformasjon.read";

    /// <summary>The id Maskinporten knows the hub's public key by.</summary>
    public string? KeyId { get; set; }

    /// <summary>The hub's RSA private key, PEM (PKCS#8 or PKCS#1). Keep it in a secret store, not in a file in the repository.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A token is renewed this long before it expires, so no lookup starts with one that is about to run out.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Configured => !string.IsNullOrWhiteSpace(ClientId);

    public Uri? TokenUri => !Configured ? null : new Uri(string.IsNullOrWhiteSpace(TokenEndpoint) ? Issuer!.TrimEnd('/') + "/token" : TokenEndpoint);

    public void Validate()
    {
        if (!Configured)
        {
            return;
        }

        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || (issuer.Scheme != Uri.UriSchemeHttps && issuer.Scheme != Uri.UriSchemeHttp))
        {
            throw new HubConfigurationException($"{Section}:Issuer is not an absolute http(s) URL.");
        }

        if (!string.IsNullOrWhiteSpace(TokenEndpoint) && !Uri.TryCreate(TokenEndpoint, UriKind.Absolute, out Uri? _))
        {
            throw new HubConfigurationException($"{Section}:TokenEndpoint is not an absolute URL.");
        }

        if (string.IsNullOrWhiteSpace(KeyId) || string.IsNullOrWhiteSpace(Scope))
        {
            throw new HubConfigurationException($"{Section}: KeyId and Scope are required with a ClientId.");
        }

        if (Timeout <= TimeSpan.Zero || RenewBefore < TimeSpan.Zero)
        {
            throw new HubConfigurationException($"{Section}: Timeout must be positive and RenewBefore not negative.");
        }

        using var key = ReadKey();
    }

    internal RSA ReadKey()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(PrivateKey);
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // The message must not echo the key.
            throw new HubConfigurationException($"{Section}:PrivateKey is not an RSA private key in PEM.");
        }
    }
}

/// <summary>Maskinporten gave no token. The message names the reason, never the grant.</summary>
public sealed class MaskinportenException(string message) : Exception(message);

/// <summary>
/// Access tokens from Maskinporten by the JWT grant (RFC 7523): the hub signs a short grant with
/// its own key and trades it for a token for the configured scope. A token is reused until
/// <see cref="MaskinportenOptions.RenewBefore"/> its expiry; callers that need one at the same time
/// share one request.
/// </summary>
public sealed class MaskinportenTokens : IDisposable
{
    public const string HttpClientName = "maskinporten";

    // Maskinporten accepts a grant that is valid for at most 120 seconds.
    private static readonly TimeSpan GrantLifetime = TimeSpan.FromSeconds(110);

    private readonly IHttpClientFactory _http;
    private readonly MaskinportenOptions _options;
    private readonly TimeProvider _time;
    private readonly RsaSecurityKey? _key;
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private Token? _current;

    public MaskinportenTokens(IHttpClientFactory http, MaskinportenOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        _key = options.Configured ? new RsaSecurityKey(options.ReadKey()) { KeyId = options.KeyId } : null;
    }

    private sealed record Token(string Value, DateTimeOffset RenewAt);

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("token_type")] string? TokenType,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error);

    public bool Configured => _key is not null;

    /// <summary>A token for the configured scope, or null where Maskinporten is not configured (development against a local KRR).</summary>
    /// <exception cref="MaskinportenException">Maskinporten refused, failed or did not answer in time.</exception>
    public async Task<string?> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (_key is null)
        {
            return null;
        }

        if (Usable(_current) is { } token)
        {
            return token;
        }

        await _renewal.WaitAsync(cancellationToken);
        try
        {
            if (Usable(_current) is { } renewedMeanwhile)
            {
                return renewedMeanwhile;
            }

            _current = await RequestAsync(_key, cancellationToken);
            return _current.Value;
        }
        finally
        {
            _renewal.Release();
        }
    }

    public void Dispose()
    {
        _renewal.Dispose();
        _key?.Rsa?.Dispose();
    }

    private string? Usable(Token? token) => token is not null && _time.GetUtcNow() < token.RenewAt ? token.Value : null;

    private async Task<Token> RequestAsync(RsaSecurityKey key, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var grant = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.ClientId,
            Audience = _options.Issuer,
            IssuedAt = now.UtcDateTime,
            Expires = (now + GrantLifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["scope"] = _options.Scope,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.CreateClient(HttpClientName).PostAsync(
                _options.TokenUri,
                new FormUrlEncodedContent([new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), new("assertion", grant)]),
                timeout.Token);
            var answer = await ReadAnswerAsync(response, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new MaskinportenException($"Maskinporten answered {(int)response.StatusCode}{(answer?.Error is { } error ? $" ({Safe(error)})" : string.Empty)}.");
            }

            if (answer is not { AccessToken.Length: > 0, ExpiresIn: > 0 } || !string.Equals(answer.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                throw new MaskinportenException("Maskinporten's answer had no bearer token with a lifetime.");
            }

            var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn.Value);
            var renewBefore = _options.RenewBefore < lifetime ? _options.RenewBefore : lifetime / 2;
            return new Token(answer.AccessToken, _time.GetUtcNow() + lifetime - renewBefore);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MaskinportenException("Maskinporten did not answer in time.");
        }
        catch (HttpRequestException ex)
        {
            throw new MaskinportenException($"Maskinporten could not be asked ({ex.GetType().Name}).");
        }
    }

    private static async Task<TokenAnswer?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    // An OAuth error code is a short token; anything else is not repeated into logs.
    private static string Safe(string error) => error.Length <= 40 && error.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? error : "unreadable error";
}
