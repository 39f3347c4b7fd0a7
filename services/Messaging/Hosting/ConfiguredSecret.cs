using IntegrationHub.Messaging.Auth;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Messaging.Hosting;

/// <summary>
/// A key from configuration (base64, at least 32 bytes). Outside Production, one is generated
/// into the data folder when none is configured, so the embedded hub needs no set-up; in
/// Production a missing or short key stops start-up.
/// </summary>
public static class ConfiguredSecret
{
    public const int MinimumBytes = 32;

    public static byte[] Read(IConfiguration configuration, string key, HubPaths paths, string developmentFileName, bool requireConfigured)
    {
        var configured = configuration[key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (requireConfigured)
            {
                throw new HubConfigurationException($"{key} is required in Production (base64, at least {MinimumBytes} bytes).");
            }

            return DataFolderSecret.LoadOrCreate(paths.DataDirectory, developmentFileName, MinimumBytes);
        }

        return Decode(key, configured);
    }

    /// <summary>Keys used before a rotation (<c>section:0</c>, <c>section:1</c>, ...), still accepted for what they sealed.</summary>
    public static IReadOnlyList<byte[]> ReadPrevious(IConfiguration configuration, string section) =>
        configuration.GetSection(section).GetChildren().Select(k => Decode(k.Path, k.Value ?? string.Empty)).ToList();

    public static byte[] Decode(string key, string configured)
    {
        try
        {
            var secret = Convert.FromBase64String(configured);
            return secret.Length >= MinimumBytes
                ? secret
                : throw new HubConfigurationException($"{key} must decode to at least {MinimumBytes} bytes.");
        }
        catch (FormatException)
        {
            throw new HubConfigurationException($"{key} is not valid base64.");
        }
    }
}
