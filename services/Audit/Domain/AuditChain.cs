using IntegrationHub.Audit.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Audit.Domain;

public sealed record AuditChainReport(bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>Appends to, seals and verifies the hash chain.</summary>
public sealed class AuditChain(AuditDbContext db, TimeProvider time, AuditSealKey key, IOptions<AuditOptions> options)
{
    private const long TicksPerMicrosecond = 10;

    // Any number, the same in every instance: the lock that makes appends to the chain take turns.
    private const long ChainLock = 0x4155444954; // "AUDIT"

    /// <summary>
    /// Links the entry to the current tail, stamping its sequence, recording time and hashes. Callers run inside a write transaction, so the
    /// tail cannot move underneath (see <see cref="AppendAllAsync"/>).
    /// </summary>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendAllAsync([entry], cancellationToken);

    /// <summary>
    /// Chains the entries in order after the tail and seals the new head, in the caller's
    /// transaction. On PostgreSQL several instances may append at once: each waits for a
    /// transaction lock first, so one chain grows one append at a time. (On SQLite one process
    /// writes, one write transaction at a time.)
    /// </summary>
    public async Task AppendAllAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLock})", cancellationToken);
        }

        var tail = await db.Entries.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var head = await db.Head.SingleOrDefaultAsync(h => h.Id == AuditHead.SingleRowId, cancellationToken);
        // Every entry may have been deleted past its period: the chain then goes on from its head.
        var sequence = tail?.Sequence ?? head?.Count ?? 0;
        var previousHash = tail?.Hash ?? head?.Hash ?? AuditEntry.GenesisHash;
        var now = WholeMicroseconds(time.GetUtcNow());
        var every = Math.Max(1, options.Value.CheckpointEvery);
        foreach (var entry in entries)
        {
            entry.Sequence = ++sequence;
            // PostgreSQL keeps microseconds: hashed ticks must survive the round trip.
            entry.OccurredAt = WholeMicroseconds(entry.OccurredAt);
            entry.RecordedAt = now;
            entry.PreviousHash = previousHash;
            entry.Hash = entry.ComputeHash();
            previousHash = entry.Hash;
            db.Entries.Add(entry);
            if (sequence % every == 0)
            {
                db.Checkpoints.Add(new AuditCheckpoint { Count = sequence, Hash = entry.Hash, SealedAt = now, Seal = key.SealOf(sequence, entry.Hash) });
            }
        }

        if (head is null)
        {
            db.Head.Add(head = new AuditHead());
        }

        head.Count = sequence;
        head.Hash = previousHash;
        head.SealedAt = now;
        head.Seal = key.SealOf(sequence, previousHash);
    }

    /// <summary>
    /// Deletes the chain's oldest entries, every one up to the last recorded at or before
    /// <paramref name="bound"/>, and seals where it now starts; at most up to the sealed head, so the
    /// chain always goes on from a sealed point. One transaction, behind the appenders' lock.
    /// </summary>
    public async Task<int> PruneUpToAsync(DateTimeOffset bound, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLock})", cancellationToken);
        }

        var last = await db.Entries.AsNoTracking().Where(e => e.RecordedAt <= bound)
            .OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return 0;
        }

        var deleted = await db.Entries.Where(e => e.Sequence <= last.Sequence).ExecuteDeleteAsync(cancellationToken);
        await db.Checkpoints.Where(c => c.Count <= last.Sequence).ExecuteDeleteAsync(cancellationToken);
        var anchor = await db.Head.SingleOrDefaultAsync(h => h.Id == AuditHead.AnchorRowId, cancellationToken);
        if (anchor is null)
        {
            db.Head.Add(anchor = new AuditHead { Id = AuditHead.AnchorRowId });
        }

        anchor.Count = last.Sequence;
        anchor.Hash = last.Hash;
        anchor.SealedAt = time.GetUtcNow();
        anchor.Seal = key.AnchorSealOf(last.Sequence, last.Hash);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Walks the chain against its sealed head and checkpoints, all read from one snapshot: appends
    /// go on meanwhile, and a head read before them must not be compared with entries after them.
    /// </summary>
    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var snapshot = await BeginSnapshotAsync(cancellationToken);
        var head = await db.Head.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditHead.SingleRowId, cancellationToken);
        var anchor = await db.Head.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditHead.AnchorRowId, cancellationToken);
        var checkpoints = await db.Checkpoints.AsNoTracking().ToDictionaryAsync(c => c.Count, cancellationToken);
        var expectedPrevious = AuditEntry.GenesisHash;
        long expectedSequence = 1;
        long checkedCount = 0;
        if (anchor is not null)
        {
            if (!key.VerifiesAnchor(anchor.Count, anchor.Hash, anchor.Seal))
            {
                return new AuditChainReport(false, 0, anchor.Count + 1, "The seal of where the chain starts after deletion does not match: the start was changed without the key.");
            }

            // Entries up to the anchor were deleted past their period; the chain goes on from there.
            expectedPrevious = anchor.Hash;
            expectedSequence = anchor.Count + 1;
            foreach (var pruned in checkpoints.Keys.Where(c => c <= anchor.Count).ToList())
            {
                checkpoints.Remove(pruned);
            }
        }
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

            if (checkpoints.Remove(entry.Sequence, out var checkpoint) && (checkpoint.Hash != entry.Hash || !key.Verifies(checkpoint.Count, checkpoint.Hash, checkpoint.Seal)))
            {
                return new AuditChainReport(false, checkedCount, entry.Sequence, "The entries up to here differ from the sealed checkpoint: they were rewritten.");
            }

            expectedPrevious = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }

        if (checkpoints.Count > 0)
        {
            var first = checkpoints.Keys.Min();
            return new AuditChainReport(false, checkedCount, first, $"A sealed checkpoint at entry {first} has no entry: the end of the log was removed.");
        }

        if (head is null)
        {
            return checkedCount == 0 && anchor is null
                ? new AuditChainReport(true, 0, null, null)
                : new AuditChainReport(false, checkedCount, null, "The log has entries but no sealed head.");
        }

        if (!key.Verifies(head.Count, head.Hash, head.Seal))
        {
            return new AuditChainReport(false, checkedCount, null, "The head's seal does not match: the head was changed without the key.");
        }

        var lastSequence = expectedSequence - 1;
        if (head.Count != lastSequence || head.Hash != expectedPrevious)
        {
            return head.Count > lastSequence
                ? new AuditChainReport(false, checkedCount, lastSequence + 1, $"The sealed head counts {head.Count} entries; {head.Count - lastSequence} at the end were removed.")
                : new AuditChainReport(false, checkedCount, null, "The entries differ from the sealed head: they were rewritten or added around the appender.");
        }

        return new AuditChainReport(true, checkedCount, null, null);
    }

    /// <summary>
    /// A read-only snapshot: on SQLite (WAL) a deferred transaction, which sees the file as it was at
    /// its first read and takes no write lock; on PostgreSQL repeatable read.
    /// </summary>
    private async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            var transaction = connection.BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            // EF counted the transaction as an open of its own; drop the explicit one, so the close at
            // the end balances. A pooled context keeps its open count into the next scope.
            await db.Database.CloseConnectionAsync();
            return new SqliteSnapshot(db, transaction);
        }

        return await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
    }

    private static DateTimeOffset WholeMicroseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TicksPerMicrosecond), TimeSpan.Zero);

    private sealed class SqliteSnapshot(AuditDbContext db, System.Data.Common.DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            await transaction.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
