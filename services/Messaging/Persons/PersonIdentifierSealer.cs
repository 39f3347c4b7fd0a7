using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Fhir.Identifiers;

namespace IntegrationHub.Messaging.Persons;

/// <summary>
/// Seals a fødselsnummer or D-number (AES-256-GCM, key derived from the person key secret) for the
/// one module that must use it towards an outside register (KRR). The identifier never travels
/// on the bus or lies in a database in clear; only hub processes with the secret can open it.
/// </summary>
public sealed class PersonIdentifierSealer
{
    private const string Version = "v1.";
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("integration-hub/sealed-person-identifier/v1");
    private readonly byte[] _key;

    public PersonIdentifierSealer(byte[] personKeySecret)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, personKeySecret, 32, salt: [], info: Purpose);
    }

    public string Seal(NorwegianPersonIdentifier identifier)
    {
        var plain = Encoding.ASCII.GetBytes(identifier.Value);
        var sealedBytes = new byte[12 + 16 + plain.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The identifier, or null when the text was not sealed with this hub's secret (or was altered).</summary>
    public string? Open(string? sealedText)
    {
        if (sealedText is null || !sealedText.StartsWith(Version, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(sealedText[Version.Length..]);
            if (bytes.Length <= 28)
            {
                return null;
            }

            var plain = new byte[bytes.Length - 28];
            using var aes = new AesGcm(_key, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
            return Encoding.ASCII.GetString(plain);
        }
        catch (Exception ex) when (ex is FormatException or AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
