using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Identifiers;

namespace IntegrationHub.Messaging.Persons;

/// <summary>
/// The hub's person key: a keyed HMAC-SHA256 pseudonym of a fødselsnummer or D-number. Stable for
/// a person, irreversible without the secret, and safe in URLs, logs and metric labels.
/// </summary>
public sealed class PersonKeyGenerator
{
    public const int MinimumSecretBytes = 32;

    private readonly byte[] _secret;

    public PersonKeyGenerator(byte[] secret)
    {
        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"The person key secret must be at least {MinimumSecretBytes} bytes.", nameof(secret));
        }

        _secret = secret;
    }

    public string KeyFor(NorwegianPersonIdentifier identifier)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(identifier.Value), hash);
        // 128 bits: collision-free for any population, and short enough for URLs.
        return Convert.ToHexStringLower(hash[..16]);
    }

    public PersonReference ReferenceFor(NorwegianPersonIdentifier identifier) => new(KeyFor(identifier));

    public static bool LooksLikeKey(string? text) =>
        text is { Length: 32 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
