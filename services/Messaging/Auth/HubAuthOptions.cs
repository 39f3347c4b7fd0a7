namespace IntegrationHub.Messaging.Auth;

public sealed class HubAuthOptions
{
    public const string Section = "Hub:Auth";

    /// <summary>The audience every issuer's tokens must carry.</summary>
    public string Audience { get; set; } = "integration-hub";

    public DevelopmentIssuerOptions DevelopmentIssuer { get; set; } = new();

    /// <summary>Trusted production issuers: Entra ID, HelseID, Maskinporten/ID-porten.</summary>
    public List<TrustedIssuerOptions> Issuers { get; set; } = [];
}

public sealed class DevelopmentIssuerOptions
{
    /// <summary>Defaults to on in Development and off elsewhere; on in Production refuses start-up.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Whether the issuer is on in <paramref name="environment"/> (the host refuses it in Production).</summary>
    public bool IsEnabledIn(Microsoft.Extensions.Hosting.IHostEnvironment environment) =>
        Enabled ?? Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsDevelopment(environment);

    public string Issuer { get; set; } = "integration-hub-development";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}

public sealed class TrustedIssuerOptions
{
    /// <summary>Short name, used as the authentication scheme name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The exact <c>iss</c> value; for Entra ID it follows from <see cref="Entra"/>.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>OpenID Connect authority whose metadata gives the signing keys; for Entra ID it follows from <see cref="Entra"/>.</summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>Set for Microsoft Entra ID (NAV staff and NAV systems): its tokens are then checked by Microsoft.Identity.Web.</summary>
    public EntraIdOptions? Entra { get; set; }

    /// <summary>Only for a test issuer on loopback: production metadata is always fetched over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Overrides <see cref="HubAuthOptions.Audience"/> for this issuer.</summary>
    public string? Audience { get; set; }

    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// The issuer's role values mapped to hub roles; unmapped values give no role. A list, not a
    /// dictionary: values such as HelseID scopes contain ':', the configuration key separator.
    /// </summary>
    public List<RoleMapping> RoleMap { get; set; } = [];

    /// <summary>The claim that names the caller's organisation (HER-id, municipality, NAV office).</summary>
    public string PartyClaim { get; set; } = "party";

    public string UserClaim { get; set; } = "sub";

    /// <summary>
    /// Whether a coordinator's party is a municipality or a NAV office: fixed for the issuer
    /// (<c>nav</c> for Entra ID's NAV staff, <c>municipality</c> for ID-porten), or else read from
    /// <see cref="PartyKindClaim"/>. Without either a coordinator sees nobody.
    /// </summary>
    public string? PartyKind { get; set; }

    public string PartyKindClaim { get; set; } = "party_kind";

    /// <summary>Signing algorithms accepted from this issuer, asymmetric only (a shared secret is for the development issuer alone); empty means all of <see cref="AsymmetricAlgorithms"/>.</summary>
    public List<string> Algorithms { get; set; } = [];

    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms.Count > 0 ? Algorithms : AsymmetricAlgorithms;

    public static IReadOnlyList<string> AsymmetricAlgorithms { get; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
}

/// <summary>NAV's Entra ID tenant and the hub's app registration in it.</summary>
public sealed class EntraIdOptions
{
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    public string TenantId { get; set; } = string.Empty;

    /// <summary>The hub's application (client) id: tokens for it carry it, or <c>api://</c> and it, as audience.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The v2.0 authority, which is also the v2.0 tokens' <c>iss</c>.</summary>
    public string Authority => V2IssuerOf(TenantId);

    /// <summary>The <c>iss</c> of the tenant's v1.0 tokens, which Entra still issues to apps that ask for them.</summary>
    public string V1Issuer => V1IssuerOf(TenantId);

    /// <summary>Both issuers with <c>{tenantid}</c> for the tenant, as Microsoft.Identity.Web's issuer check takes them.</summary>
    public IReadOnlyList<string> IssuerTemplates => [V2IssuerOf("{tenantid}"), V1IssuerOf("{tenantid}")];

    private string V2IssuerOf(string tenant) => $"{Instance.TrimEnd('/')}/{tenant}/v2.0";

    private static string V1IssuerOf(string tenant) => $"https://sts.windows.net/{tenant}/";
}

public sealed class RoleMapping
{
    /// <summary>The value as the issuer writes it in <see cref="TrustedIssuerOptions.RoleClaim"/>.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>One of <see cref="HubRoles.All"/>.</summary>
    public string Role { get; set; } = string.Empty;
}
