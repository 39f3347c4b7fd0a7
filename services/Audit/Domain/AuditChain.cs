using IntegrationHub.Audit.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Audit.Domain;

public sealed record AuditChainReport(bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>Appends to and verifies the hash chain.</summary>
public sealed class AuditChain(AuditDbContext db, TimeProvider time)
{
    /// <summary>
    /// Links the entry to the current tail, stamping its sequence, recording time and hashes. Callers run inside a write transaction and one at a
    /// time (the consumer's concurrency limit is 1), so the tail cannot move underneath.
    /// </summary>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendAllAsync([entry], cancellationToken);

    /// <summary>Chains the entries in order after the tail, in the caller's transaction.</summary>
    public async Task AppendAllAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var tail = await db.Entries.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var sequence = tail?.Sequence ?? 0;
        var previousHash = tail?.Hash ?? AuditEntry.GenesisHash;
        var now = time.GetUtcNow();
        foreach (var entry in entries)
        {
            entry.Sequence = ++sequence;
            entry.RecordedAt = now;
            entry.PreviousHash = previousHash;
            entry.Hash = entry.ComputeHash();
            previousHash = entry.Hash;
            db.Entries.Add(entry);
        }
    }

    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var expectedPrevious = AuditEntry.GenesisHash;
        long expectedSequence = 1;
        long checkedCount = 0;
        await foreach (var entry in db.Entries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expectedSequence)
            {
                return new AuditChainReport(false, checkedCount, expectedSequence, $"Entry {expectedSequence} is missing.");
            }

            if (entry.PreviousHash != expectedPrevious)
            {
                return new AuditChainReport(false, checkedCount, entry.Sequence, "The link to the previous entry does not match.");
            }

            if (entry.ComputeHash() != entry.Hash)
            {
                return new AuditChainReport(false, checkedCount, entry.Sequence, "The entry's content does not match its hash.");
            }

            expectedPrevious = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }

        return new AuditChainReport(true, checkedCount, null, null);
    }
}
