using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Audit.Domain;

/// <summary>
/// One row of the append-only log. Each row's hash covers its own fields and the previous row's
/// hash, so changing, removing or reordering any row breaks every hash after it.
/// </summary>
public sealed class AuditEntry
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public long Sequence { get; set; }

    /// <summary>The source event's id: a redelivered event can never append twice.</summary>
    public Guid EntryId { get; set; }

    public required string Kind { get; set; }

    public required string PersonKey { get; set; }

    public required string ActorUserId { get; set; }

    public required string ActorRole { get; set; }

    public string? ActorParty { get; set; }

    public required string Resource { get; set; }

    public required string Purpose { get; set; }

    public bool Granted { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Set by <see cref="AuditChain.AppendAsync"/>.</summary>
    public string PreviousHash { get; set; } = string.Empty;

    /// <summary>Set by <see cref="AuditChain.AppendAsync"/>.</summary>
    public string Hash { get; set; } = string.Empty;

    public string ComputeHash()
    {
        // Length-prefixed fields: no value can be shifted into its neighbour to keep the hash.
        var builder = new StringBuilder();
        foreach (var field in new[]
                 {
                     Sequence.ToString(CultureInfo.InvariantCulture), EntryId.ToString("N"), Kind, PersonKey, ActorUserId, ActorRole,
                     ActorParty ?? string.Empty, Resource, Purpose, Granted ? "1" : "0",
                     OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture), RecordedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
                     PreviousHash,
                 })
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
