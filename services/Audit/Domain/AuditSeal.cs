using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Audit.Domain;

/// <summary>
/// The head of the chain (its last hash and how many entries it has), sealed with a key the
/// database never holds. Rewriting an entry and re-hashing everything after it changes the head
/// hash, and removing the tail changes the count: either way the seal no longer matches, and only
/// the holder of the key could make a new one.
/// </summary>
public sealed class AuditHead
{
    public const int SingleRowId = 1;

    /// <summary>
    /// The row that marks where the chain starts once its oldest entries were deleted past their
    /// period (<c>Retention:LogsKeptFor</c>): the last deleted entry's sequence and hash, sealed as an
    /// anchor (never valid as a head), so a removed start is told from a pruned one.
    /// </summary>
    public const int AnchorRowId = 2;

    public int Id { get; set; } = SingleRowId;

    public long Count { get; set; }

    public string Hash { get; set; } = AuditEntry.GenesisHash;

    public DateTimeOffset SealedAt { get; set; }

    public string Seal { get; set; } = string.Empty;
}

/// <summary>A sealed head kept for good every <see cref="AuditOptions.CheckpointEvery"/> entries, so a break is found near where it happened.</summary>
public sealed class AuditCheckpoint
{
    public long Count { get; set; }

    public required string Hash { get; set; }

    public DateTimeOffset SealedAt { get; set; }

    public required string Seal { get; set; }
}

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>The HMAC key of the seals (base64, at least 32 bytes); required in Production. Rotation: see the README.</summary>
    public const string SealKeySetting = "Audit:SealKey";

    /// <summary>Keys used before a rotation, still accepted when verifying what they sealed.</summary>
    public const string PreviousSealKeysSection = "Audit:PreviousSealKeys";

    public int CheckpointEvery { get; set; } = 1000;
}

/// <summary>
/// HMAC-SHA256 over the head's count and hash. New seals use the current key; earlier keys
/// (<c>Audit:PreviousSealKeys</c>) still verify the checkpoints they sealed, so the key can be rotated.
/// </summary>
public sealed class AuditSealKey(byte[] key, IReadOnlyList<byte[]>? previousKeys = null)
{
    private const string HeadPurpose = "audit-head";
    private const string AnchorPurpose = "audit-anchor";

    public string SealOf(long count, string hash) => SealOf(key, HeadPurpose, count, hash);

    public bool Verifies(long count, string hash, string seal) => Verifies(HeadPurpose, count, hash, seal);

    public string AnchorSealOf(long count, string hash) => SealOf(key, AnchorPurpose, count, hash);

    public bool VerifiesAnchor(long count, string hash, string seal) => Verifies(AnchorPurpose, count, hash, seal);

    private bool Verifies(string purpose, long count, string hash, string seal) =>
        new[] { key }.Concat(previousKeys ?? []).Any(k =>
            CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SealOf(k, purpose, count, hash)), Encoding.ASCII.GetBytes(seal)));

    private static string SealOf(byte[] key, string purpose, long count, string hash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{purpose}|{count}|{hash}"))));
}
