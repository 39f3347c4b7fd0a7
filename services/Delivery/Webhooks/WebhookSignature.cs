using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Delivery.Webhooks;

/// <summary>
/// Standard Webhooks signing (standardwebhooks.com): the headers <c>webhook-id</c>,
/// <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature</c> (<c>v1,</c> and base64 of
/// HMAC-SHA256 over <c>id.timestamp.body</c>), so a receiver knows the call is the hub's, unchanged
/// and recent.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const int MinimumSecretBytes = 24;
    private const string SecretPrefix = "whsec_";

    /// <summary>The key of a <c>whsec_</c> secret (the prefix is optional), or null when it is not one.</summary>
    public static byte[]? DecodeSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
            return key.Length >= MinimumSecretBytes ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Sign(byte[] key, string id, DateTimeOffset timestamp, string body)
    {
        var signed = $"{id}.{timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{body}";
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
    }
}
