using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Hub.Tests;

/// <summary>Tokens from configured external issuers (here: an Entra-like and a HelseID-like issuer on loopback).</summary>
public sealed class TrustedIssuerTests : IAsyncLifetime
{
    private const string NavTenant = "8f2f6a3e-1b7c-4d5e-9a0b-3c4d5e6f7a8b";
    private const string HubClientId = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

    private LoopbackOpenIdIssuer _entra = null!;
    private LoopbackOpenIdIssuer _helseId = null!;
    private HubTestServer _hub = null!;

    public async Task InitializeAsync()
    {
        _entra = await LoopbackOpenIdIssuer.StartEntraAsync(NavTenant);
        _helseId = await LoopbackOpenIdIssuer.StartAsync("https://helseid.example.test");
        _hub = await HubTestServer.StartAsync(
            "--Hub:Auth:Issuers:0:Name=entra",
            $"--Hub:Auth:Issuers:0:Entra:Instance={_entra.Authority}/",
            $"--Hub:Auth:Issuers:0:Entra:TenantId={NavTenant}",
            $"--Hub:Auth:Issuers:0:Entra:ClientId={HubClientId}",
            "--Hub:Auth:Issuers:0:RequireHttpsMetadata=false",
            "--Hub:Auth:Issuers:0:RoleClaim=roles",
            "--Hub:Auth:Issuers:0:RoleMap:0:Value=IntegrationHub.Advisor",
            "--Hub:Auth:Issuers:0:RoleMap:0:Role=nav-advisor",
            "--Hub:Auth:Issuers:0:RoleMap:1:Value=IntegrationHub.Coordinator",
            "--Hub:Auth:Issuers:0:RoleMap:1:Role=coordinator",
            "--Hub:Auth:Issuers:0:PartyClaim=nav_office",
            "--Hub:Auth:Issuers:0:UserClaim=NAVident",
            "--Hub:Auth:Issuers:1:Name=helseid",
            $"--Hub:Auth:Issuers:1:Issuer={_helseId.Issuer}",
            $"--Hub:Auth:Issuers:1:Authority={_helseId.Authority}",
            "--Hub:Auth:Issuers:1:RequireHttpsMetadata=false",
            "--Hub:Auth:Issuers:1:RoleClaim=scope",
            "--Hub:Auth:Issuers:1:RoleMap:0:Value=nav:integration-hub/certificates",
            "--Hub:Auth:Issuers:1:RoleMap:0:Role=gp-system",
            "--Hub:Auth:Issuers:1:PartyClaim=helseid://claims/client/her_id",
            "--Hub:Auth:Issuers:1:UserClaim=client_id");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _entra.DisposeAsync();
        await _helseId.DisposeAsync();
    }

    /// <summary>An access token of NAV's tenant for the hub's app, as Entra ID issues one.</summary>
    private string EntraToken(Dictionary<string, object> claims, string audience = $"api://{HubClientId}")
    {
        claims.TryAdd("tid", NavTenant);
        claims.TryAdd("ver", "2.0");
        return _entra.CreateToken(audience, claims);
    }

    private async Task<HttpResponseMessage> GetMeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/me", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _hub.Client.SendAsync(request);
    }

    [Fact]
    public async Task Entra_advisor_token_maps_to_the_nav_advisor_role_office_and_ident()
    {
        var token = EntraToken(new Dictionary<string, object>
        {
            ["roles"] = new[] { "IntegrationHub.Advisor" }, ["nav_office"] = "0314", ["NAVident"] = "Z990123",
        });

        var response = await GetMeAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HubRoles.NavAdvisor, me.GetProperty("role").GetString());
        Assert.Equal("0314", me.GetProperty("party").GetString());
        Assert.Equal("Z990123", me.GetProperty("user").GetString());
    }

    [Fact]
    public async Task HelseId_system_token_maps_to_the_gp_system_role_and_her_id()
    {
        var token = _helseId.CreateToken("integration-hub", new Dictionary<string, object>
        {
            ["scope"] = "openid nav:integration-hub/certificates", ["helseid://claims/client/her_id"] = "90128", ["client_id"] = "storgata-ehr",
        });

        var me = await (await GetMeAsync(token)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HubRoles.GpSystem, me.GetProperty("role").GetString());
        Assert.Equal("90128", me.GetProperty("party").GetString());
    }

    [Theory]
    [InlineData("api://" + HubClientId)]
    [InlineData(HubClientId)]
    public async Task Entra_accepts_the_hubs_app_id_uri_or_client_id_as_audience(string audience)
    {
        var token = EntraToken(new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" }, ["NAVident"] = "Z990126" }, audience);

        var me = await (await GetMeAsync(token)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HubRoles.Coordinator, me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Entra_v1_token_of_the_tenant_is_accepted_and_mapped_as_a_v2_token_is()
    {
        // Apps whose manifest asks for v1.0 tokens get sts.windows.net as issuer and the App ID URI as audience.
        var token = _entra.CreateToken($"api://{HubClientId}", new Dictionary<string, object>
        {
            ["roles"] = new[] { "IntegrationHub.Advisor" }, ["nav_office"] = "0314", ["NAVident"] = "Z990128", ["tid"] = NavTenant, ["ver"] = "1.0",
        }, issuer: $"https://sts.windows.net/{NavTenant}/");

        var response = await GetMeAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HubRoles.NavAdvisor, me.GetProperty("role").GetString());
        Assert.Equal("0314", me.GetProperty("party").GetString());
    }

    [Fact]
    public async Task Entra_v1_token_of_another_tenant_is_401()
    {
        var otherTenant = Guid.NewGuid().ToString();
        var token = _entra.CreateToken($"api://{HubClientId}", new Dictionary<string, object>
        {
            ["roles"] = new[] { "IntegrationHub.Coordinator" }, ["tid"] = otherTenant, ["ver"] = "1.0",
        }, issuer: $"https://sts.windows.net/{otherTenant}/");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Entra_token_whose_tenant_is_not_the_issuers_is_401()
    {
        var token = EntraToken(new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" }, ["tid"] = Guid.NewGuid().ToString() });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Entra_token_with_neither_roles_nor_scopes_is_401()
    {
        // Microsoft.Identity.Web's rule: such a token comes from a tenant where the app was never provisioned.
        var token = EntraToken(new Dictionary<string, object> { ["NAVident"] = "Z990127", ["nav_office"] = "0314" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Token_with_no_mapped_role_is_403()
    {
        var token = EntraToken(new Dictionary<string, object> { ["roles"] = new[] { "Some.Other.App" }, ["NAVident"] = "Z990124" });

        Assert.Equal(HttpStatusCode.Forbidden, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Token_signed_with_a_key_the_issuer_does_not_publish_is_401()
    {
        var forged = _entra.CreateToken(
            $"api://{HubClientId}",
            new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" }, ["tid"] = NavTenant },
            new RsaSecurityKey(RSA.Create(2048)) { KeyId = "forged" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task Token_for_another_audience_is_401()
    {
        var token = EntraToken(new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" } }, audience: "another-api");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Theory]
    [InlineData("/me")]
    [InlineData("/persons/abc/consents")]
    [InlineData("/inbox")]
    [InlineData("/admin/audit/verify")]
    public async Task Malformed_token_is_401_on_any_path(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.bm90anNvbg.c2ln");

        var response = await _hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Unreadable_authorization_is_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/me", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", header);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _hub.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Token_from_an_issuer_the_hub_does_not_trust_is_401()
    {
        await using var stranger = await LoopbackOpenIdIssuer.StartAsync("https://stranger.example.test");
        var token = stranger.CreateToken("integration-hub", new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" }, ["nav_office"] = "0314" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Token_with_hub_claims_of_its_own_gets_only_what_the_role_map_gives()
    {
        var token = EntraToken(new Dictionary<string, object>
        {
            ["roles"] = new[] { "IntegrationHub.Advisor" }, ["nav_office"] = "0314", ["NAVident"] = "Z990125",
            [HubClaims.Role] = HubRoles.HubAdmin, [HubClaims.Party] = "0301", [HubClaims.User] = "someone-else",
            ["http://schemas.microsoft.com/ws/2008/06/identity/claims/role"] = HubRoles.HubAdmin, ["role"] = HubRoles.HubAdmin,
        });

        var me = await (await GetMeAsync(token)).Content.ReadFromJsonAsync<JsonElement>();
        using var admin = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/dead-letters", UriKind.Relative));
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HubRoles.NavAdvisor, me.GetProperty("role").GetString());
        Assert.Equal("0314", me.GetProperty("party").GetString());
        Assert.Equal("Z990125", me.GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _hub.Client.SendAsync(admin)).StatusCode);
    }

    [Fact]
    public async Task Token_signed_with_a_shared_secret_in_an_external_issuers_name_is_401()
    {
        var secret = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "hs" };
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _entra.Issuer,
            Audience = "integration-hub",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" } },
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Token_without_an_audience_is_401()
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _entra.Issuer,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" } },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "forged" }, SecurityAlgorithms.RsaSha256),
        });
        var ownKeyToken = _entra.CreateToken(string.Empty, new Dictionary<string, object> { ["roles"] = new[] { "IntegrationHub.Coordinator" } });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(ownKeyToken)).StatusCode);
    }

    [Fact]
    public async Task Development_issuer_refuses_an_asymmetric_token_in_its_name()
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = new HubAuthOptions().DevelopmentIssuer.Issuer,
            Audience = "integration-hub",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["role"] = HubRoles.HubAdmin },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "development" }, SecurityAlgorithms.RsaSha256),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Development_tokens_work_beside_the_configured_issuers()
    {
        var response = await GetMeAsync(HubTokens.For(_hub.DataDirectory, HubRoles.MunicipalCaseworker, "0301", "rus-oslo-0042"));

        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HubRoles.MunicipalCaseworker, me.GetProperty("role").GetString());
        Assert.Equal("0301", me.GetProperty("party").GetString());
    }
}
