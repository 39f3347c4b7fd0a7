using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Fhir.Identifiers;

namespace IntegrationHub.Messaging.Persons;

/// <summary>
/// Seals a fødselsnummer or D-number, and a person's name (AES-256-GCM, keys derived from the person
/// key secret), for the module that must use them: coordination, towards KRR and for staff who must
/// know whom to phone. Neither travels on the bus or lies in a database in clear; only hub processes
/// with the secret can open them. Identifier and name have keys of their own, so one never opens as
/// the other.
/// </summary>
public sealed class PersonIdentifierSealer
{
    private const string Version = "v1.";
    private static readonly byte[] IdentifierPurpose = Encoding.ASCII.GetBytes("integration-hub/sealed-person-identifier/v1");
    private static readonly byte[] NamePurpose = Encoding.ASCII.GetBytes("integration-hub/sealed-person-name/v1");
    private static readonly byte[] DigestPurpose = Encoding.ASCII.GetBytes("integration-hub/person-name-digest/v1");
    private static readonly byte[] RecordsPurpose = Encoding.ASCII.GetBytes("integration-hub/sealed-held-records/v1");
    private readonly byte[] _identifierKey;
    private readonly byte[] _nameKey;
    private readonly byte[] _digestKey;
    private readonly byte[] _recordsKey;

    public PersonIdentifierSealer(byte[] personKeySecret)
    {
        _identifierKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, personKeySecret, 32, salt: [], info: IdentifierPurpose);
        _nameKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, personKeySecret, 32, salt: [], info: NamePurpose);
        _digestKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, personKeySecret, 32, salt: [], info: DigestPurpose);
        _recordsKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, personKeySecret, 32, salt: [], info: RecordsPurpose);
    }

    public string SealRecords(HeldRecords records) => Seal(JsonSerializer.SerializeToUtf8Bytes(records, PersonName.Json), _recordsKey);

    public HeldRecords? OpenRecords(string? sealedText) =>
        Open(sealedText, _recordsKey) is { } plain ? JsonSerializer.Deserialize<HeldRecords>(plain, PersonName.Json) : null;

    /// <summary>Tells whether a person's name changed without keeping it: keyed, so a list of common names cannot be tried against it.</summary>
    public string NameDigest(string personKey, PersonName name) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_digestKey, JsonSerializer.SerializeToUtf8Bytes(new[] { personKey, name.Given, name.Family })));

    public string Seal(NorwegianPersonIdentifier identifier) => Seal(Encoding.ASCII.GetBytes(identifier.Value), _identifierKey);

    /// <summary>The identifier, or null when the text was not sealed with this hub's secret (or was altered).</summary>
    public string? Open(string? sealedText) => Open(sealedText, _identifierKey) is { } plain ? Encoding.ASCII.GetString(plain) : null;

    public string SealName(PersonName name) => Seal(JsonSerializer.SerializeToUtf8Bytes(name, PersonName.Json), _nameKey);

    /// <summary>The name, or null when the text was not a name sealed with this hub's secret.</summary>
    public PersonName? OpenName(string? sealedText) =>
        Open(sealedText, _nameKey) is { } plain ? JsonSerializer.Deserialize<PersonName>(plain, PersonName.Json) : null;

    private static string Seal(byte[] plain, byte[] key)
    {
        var sealedBytes = new byte[12 + 16 + plain.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    private static byte[]? Open(string? sealedText, byte[] key)
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
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
            return plain;
        }
        catch (Exception ex) when (ex is FormatException or AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
