using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Messaging.Persistence;

/// <summary>
/// AES-256-GCM for what the hub keeps of a person in full (a GP's Bundle with fødselsnummer and
/// diagnosis, a dead letter's body). Each value names the key that sealed it, and is bound to the
/// row it belongs to (associated data), so a value copied into another row does not open.
/// Rotation: make the new key <c>Hub:AtRest:Key</c> and list the old one under
/// <c>Hub:AtRest:PreviousKeys</c>; what the old key sealed still opens, everything new uses the new key.
/// </summary>
public sealed class AtRestCipher
{
    public const string KeySetting = "Hub:AtRest:Key";
    public const string PreviousKeysSection = "Hub:AtRest:PreviousKeys";

    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + 4 + NonceBytes + TagBytes;

    /// <summary>Marks a text column's value as sealed (dead-letter envelopes are text).</summary>
    private const string TextPrefix = "aesgcm1:";

    private readonly (uint Id, byte[] Key) _current;
    private readonly Dictionary<uint, byte[]> _keys;

    public AtRestCipher(byte[] key, IEnumerable<byte[]>? previousKeys = null)
    {
        _current = (KeyId(key), key);
        _keys = new Dictionary<uint, byte[]> { [_current.Id] = key };
        foreach (var previous in previousKeys ?? [])
        {
            _keys.TryAdd(KeyId(previous), previous);
        }
    }

    public static AtRestCipher FromConfiguration(IConfiguration configuration, HubPaths paths, bool requireConfigured) => new(
        ConfiguredSecret.Read(configuration, KeySetting, paths, "at-rest.key", requireConfigured)[..32],
        ConfiguredSecret.ReadPrevious(configuration, PreviousKeysSection).Select(k => k[..32]));

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string boundTo)
    {
        var sealedValue = new byte[HeaderBytes + plaintext.Length];
        sealedValue[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(sealedValue.AsSpan(1, 4), _current.Id);
        var nonce = sealedValue.AsSpan(5, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(HeaderBytes), sealedValue.AsSpan(5 + NonceBytes, TagBytes), Encoding.UTF8.GetBytes(boundTo));
        return sealedValue;
    }

    /// <summary>The plaintext; a JSON value stored before encryption at rest (it starts with <c>{</c>) comes back as it is.</summary>
    /// <exception cref="CryptographicException">The value was changed, belongs to another row, or its key is not configured.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedValue, string boundTo)
    {
        if (sealedValue.Length > 0 && sealedValue[0] == (byte)'{')
        {
            return sealedValue.ToArray();
        }

        if (sealedValue.Length < HeaderBytes || sealedValue[0] != Version)
        {
            throw new CryptographicException("Not a value sealed by the hub.");
        }

        var keyId = BinaryPrimitives.ReadUInt32BigEndian(sealedValue.Slice(1, 4));
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The key {keyId:x8} that sealed this value is not configured (Hub:AtRest:Key or PreviousKeys).");
        }

        var plaintext = new byte[sealedValue.Length - HeaderBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedValue.Slice(5, NonceBytes), sealedValue[HeaderBytes..], sealedValue.Slice(5 + NonceBytes, TagBytes), plaintext, Encoding.UTF8.GetBytes(boundTo));
        return plaintext;
    }

    public string SealText(string plaintext, string boundTo) => TextPrefix + Convert.ToBase64String(Seal(Encoding.UTF8.GetBytes(plaintext), boundTo));

    /// <summary>The plaintext; a text stored before encryption at rest (without the prefix) comes back as it is.</summary>
    public string OpenText(string sealedValue, string boundTo) =>
        sealedValue.StartsWith(TextPrefix, StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Open(Convert.FromBase64String(sealedValue[TextPrefix.Length..]), boundTo))
            : sealedValue;

    /// <summary>A short public name of the key: the first four bytes of its SHA-256.</summary>
    private static uint KeyId(byte[] key) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key).AsSpan(0, 4));
}
