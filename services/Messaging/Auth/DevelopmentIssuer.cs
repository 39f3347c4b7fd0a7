using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Messaging.Auth;

/// <summary>
/// Mints tokens for local use. The signing key is generated once into the data folder, so the
/// <c>token</c> command and a running hub over the same folder agree on it.
/// </summary>
public sealed class DevelopmentIssuer
{
    public const string RoleClaim = "role";
    public const string PartyClaim = "party";
    public const string UserClaim = "sub";
    public const string PartyKindClaim = "party_kind";

    /// <summary>Holds the token the development sign-in page minted; read only for the pages under <see cref="PagesPath"/>.</summary>
    public const string SignInCookie = "hub_dev_token";

    public const string PagesPath = "/sider";
    private const string KeyFileName = "development-issuer.key";

    private readonly DevelopmentIssuerOptions _options;
    private readonly string _audience;
    private readonly TimeProvider _time;

    public DevelopmentIssuer(HubAuthOptions options, string dataDirectory, TimeProvider time)
    {
        _options = options.DevelopmentIssuer;
        _audience = options.Audience;
        _time = time;
        SigningKey = new SymmetricSecurityKey(DataFolderSecret.LoadOrCreate(dataDirectory, KeyFileName, 32)) { KeyId = "development" };
    }

    public SymmetricSecurityKey SigningKey { get; }

    public string Issuer => _options.Issuer;

    public TrustedIssuerOptions AsTrustedIssuer() => new()
    {
        Name = "development",
        Issuer = _options.Issuer,
        RoleClaim = RoleClaim,
        RoleMap = [.. HubRoles.All.Select(r => new RoleMapping { Value = r, Role = r })],
        PartyClaim = PartyClaim,
        UserClaim = UserClaim,
        PartyKindClaim = PartyKindClaim,
        Algorithms = [SecurityAlgorithms.HmacSha256],
    };

    /// <param name="partyKind">For a coordinator: <c>municipality</c> (the default when a party is given) or <c>nav</c>.</param>
    public string CreateToken(string role, string? party, string? user, string? partyKind = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { [RoleClaim] = role, [UserClaim] = user ?? $"dev-{role}" };
        if (party is not null)
        {
            claims[PartyClaim] = party;
            if (role == HubRoles.Coordinator)
            {
                claims[PartyKindClaim] = partyKind ?? "municipality";
            }
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.TokenLifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>A random secret kept in a file in the data folder (development only).</summary>
public static class DataFolderSecret
{
    public static byte[] LoadOrCreate(string dataDirectory, string fileName, int length)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var secret = RandomNumberGenerator.GetBytes(length);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(secret));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            // Atomic: a process starting at the same moment sees either no file or the whole secret.
            File.Move(temporary, path, overwrite: false);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
