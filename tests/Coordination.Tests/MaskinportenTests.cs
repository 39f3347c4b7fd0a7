using System.Security.Cryptography;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Krr;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Coordination.Tests;

/// <summary>The hub's Maskinporten client, against WireMock stand-ins for Maskinporten and KRR on loopback.</summary>
public sealed class MaskinportenTests : IAsyncLifetime
{
    private const string Identifier = "01820012345";
    private const string ClientId = "hub-integration-id";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private LoopbackMaskinporten _maskinporten = null!;
    private LoopbackKrr _krr = null!;

    public async Task InitializeAsync()
    {
        _maskinporten = LoopbackMaskinporten.Start(expiresInSeconds: 120);
        _krr = await LoopbackKrr.StartAsync(requiredToken: LoopbackMaskinporten.Token);
    }

    public async Task DisposeAsync()
    {
        await _krr.DisposeAsync();
        _maskinporten.Dispose();
        await _services.DisposeAsync();
    }

    private MaskinportenOptions Options() => new()
    {
        Issuer = _maskinporten.Issuer,
        ClientId = ClientId,
        KeyId = "hub-key-1",
        PrivateKey = _maskinporten.ClientKeyPem,
        RenewBefore = TimeSpan.FromSeconds(30),
    };

    private (KrrClient Client, MaskinportenTokens Tokens) Client(MaskinportenOptions options)
    {
        var tokens = new MaskinportenTokens(_services.GetRequiredService<IHttpClientFactory>(), options, _clock);
        return (new KrrClient(new HttpClient(), new KrrOptions { BaseUrl = _krr.BaseUrl, Timeout = TimeSpan.FromSeconds(5) }, tokens), tokens);
    }

    [Fact]
    public async Task A_lookup_carries_the_token_Maskinporten_gave_for_a_grant_signed_with_the_hubs_key()
    {
        var (client, tokens) = Client(Options());
        using var _ = tokens;
        _krr.Answer(Identifier, LoopbackKrr.Reserved);

        var answer = await client.LookUpAsync(Identifier, CancellationToken.None);

        Assert.True(answer.Reached, answer.Problem);
        Assert.Equal(KrrStatus.Reserved, answer.Status);
        Assert.Equal([$"Bearer {LoopbackMaskinporten.Token}"], _krr.Authorizations);

        // The grant, checked as Maskinporten would: the hub's key, its client id, audience, scope, a short life.
        var grant = Assert.Single(_maskinporten.Grants);
        var checkedGrant = await new JsonWebTokenHandler().ValidateTokenAsync(grant, new TokenValidationParameters
        {
            ValidIssuer = ClientId,
            ValidAudience = _maskinporten.Issuer,
            IssuerSigningKey = new RsaSecurityKey(_maskinporten.ClientKey.ExportParameters(false)),
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.True(checkedGrant.IsValid, checkedGrant.Exception?.Message);
        var token = (JsonWebToken)checkedGrant.SecurityToken;
        Assert.Equal("hub-key-1", token.Kid);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("krr:global/kontaktinformasjon.read", token.GetClaim("scope").Value);
        Assert.NotEmpty(token.Id);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, token.IssuedAt, TimeSpan.FromSeconds(1));
        Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task A_token_serves_every_lookup_until_shortly_before_it_expires_then_a_new_one_is_asked_for()
    {
        var (client, tokens) = Client(Options());
        using var _ = tokens;

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await client.LookUpAsync(Identifier, CancellationToken.None)).Reached);
        }

        Assert.Single(_maskinporten.Grants);

        // 120 s token, renewed 30 s before it runs out.
        _clock.Advance(TimeSpan.FromSeconds(89));
        Assert.True((await client.LookUpAsync(Identifier, CancellationToken.None)).Reached);
        Assert.Single(_maskinporten.Grants);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await client.LookUpAsync(Identifier, CancellationToken.None)).Reached);
        Assert.Equal(2, _maskinporten.Grants.Count);
        Assert.Equal(5, _krr.Lookups[Identifier]);
    }

    [Fact]
    public async Task Lookups_that_need_a_token_at_once_share_one_request_for_it()
    {
        var (_, tokens) = Client(Options());
        using var _ = tokens;

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => tokens.AccessTokenAsync(CancellationToken.None))));

        Assert.All(all, token => Assert.Equal(LoopbackMaskinporten.Token, token));
        Assert.Single(_maskinporten.Grants);
    }

    [Fact]
    public async Task A_refused_grant_leaves_KRR_unasked_and_the_person_counts_as_cannot_be_notified()
    {
        _maskinporten.Refuse();
        var (client, tokens) = Client(Options());
        using var _ = tokens;

        var answer = await client.LookUpAsync(Identifier, CancellationToken.None);

        Assert.False(answer.Reached);
        Assert.Equal(KrrStatus.CannotBeNotified, answer.Status);
        Assert.Equal("Maskinporten answered 400 (invalid_grant).", answer.Problem);
        Assert.Empty(_krr.Lookups);
    }

    [Fact]
    public async Task Without_a_token_KRR_refuses_the_lookup()
    {
        var (client, tokens) = Client(new MaskinportenOptions());
        using var _ = tokens;

        var answer = await client.LookUpAsync(Identifier, CancellationToken.None);

        Assert.False(tokens.Configured);
        Assert.False(answer.Reached);
        Assert.Equal("KRR answered 401", answer.Problem);
        Assert.Equal([null], _krr.Authorizations);
    }

    [Fact]
    public void A_key_that_is_not_an_RSA_private_key_stops_start_up_without_repeating_it()
    {
        using var ec = ECDsa.Create();
        var options = Options();
        options.PrivateKey = ec.ExportPkcs8PrivateKeyPem();

        var error = Assert.ThrowsAny<Exception>(options.Validate);

        Assert.Equal("Coordination:Krr:Maskinporten:PrivateKey is not an RSA private key in PEM.", error.Message);
    }
}
