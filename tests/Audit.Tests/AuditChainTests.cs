using IntegrationHub.Audit.Domain;
using IntegrationHub.Audit.Persistence;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using Microsoft.Data.Sqlite;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Audit.Tests;

/// <summary>The hash chain over a real SQLite file, tampered with the way an insider with database access would.</summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private static readonly byte[] KeyBytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private static readonly AuditSealKey Key = new(KeyBytes);
    private readonly TemporaryDirectory _dataDirectory = new("audit-tests");
    private string _connectionString = string.Empty;

    /// <summary>A checkpoint every second entry, so five entries have two.</summary>
    internal static AuditChain Chain(AuditDbContext db, AuditSealKey? key = null) =>
        new(db, TimeProvider.System, key ?? Key, Microsoft.Extensions.Options.Options.Create(new AuditOptions { CheckpointEvery = 2 }));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory.Path);
        _connectionString = ModuleDatabase.ConnectionStringFor(AuditDbContext.DatabaseName, new DatabaseOptions(), new HubPaths(_dataDirectory.Path));
        await using var db = Open();
        await db.Database.MigrateAsync();
        var chain = Chain(db);
        for (var i = 0; i < 5; i++)
        {
            await chain.AppendAsync(Entry($"persons/key #{i}"), CancellationToken.None);
            await db.SaveChangesAsync();
        }
    }

    public Task DisposeAsync()
    {
        _dataDirectory.Dispose();
        return Task.CompletedTask;
    }

    private AuditDbContext Open()
    {
        var builder = new DbContextOptionsBuilder<AuditDbContext>();
        ModuleDatabase.UseProvider(builder, DatabaseProvider.Sqlite, _connectionString);
        return new AuditDbContext(builder.Options, TimeProvider.System);
    }

    internal static AuditEntry Entry(string resource) => new()
    {
        EntryId = Guid.NewGuid(),
        Kind = "read",
        PersonKey = "422d395586c31b91f2d3781c84d9b1a3",
        ActorUserId = "coord-7",
        ActorRole = "coordinator",
        ActorParty = "0301",
        Resource = resource,
        Purpose = "look up person key",
        Granted = true,
        OccurredAt = DateTimeOffset.UtcNow,
    };

    private async Task<AuditChainReport> VerifyAsync()
    {
        await using var db = Open();
        return await Chain(db).VerifyAsync(CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Entries_deleted_past_their_period_leave_a_chain_that_verifies_from_its_sealed_anchor_and_grows_on()
    {
        var bound = await RecordedAtAsync(3);
        await using (var db = Open())
        {
            Assert.True(await Chain(db).PruneUpToAsync(bound, CancellationToken.None) >= 3);
        }

        var remaining = await RemainingAsync();
        Assert.DoesNotContain(1L, remaining);
        var pruned = await VerifyAsync();
        Assert.True(pruned.Intact, pruned.Problem);
        Assert.Equal(remaining.Count, pruned.EntriesChecked);

        await using (var db = Open())
        {
            await Chain(db).AppendAsync(Entry("persons/key #5"), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var grown = await VerifyAsync();
        Assert.True(grown.Intact, grown.Problem);
        Assert.Equal(remaining.Count + 1, grown.EntriesChecked);
    }

    [Fact]
    public async Task After_a_prune_a_removed_start_or_an_anchor_made_from_the_heads_seal_is_found()
    {
        await using (var db = Open())
        {
            await Chain(db).PruneUpToAsync(await RecordedAtAsync(2), CancellationToken.None);
        }

        var first = (await RemainingAsync()).Min();
        await ExecuteAsync($"DELETE FROM audit_entries WHERE \"Sequence\" = {first}");
        var removedStart = await VerifyAsync();
        Assert.False(removedStart.Intact);
        Assert.Equal(first, removedStart.FirstBrokenSequence);

        // An insider deletes everything and points the anchor at the head, with the head's own seal.
        await ExecuteAsync("DELETE FROM audit_entries WHERE 1 = 1 AND \"Sequence\" = (SELECT MAX(\"Sequence\") FROM audit_entries)");
        await ExecuteAsync("""
            UPDATE audit_head SET "Count" = (SELECT "Count" FROM audit_head WHERE "Id" = 1), "Hash" = (SELECT "Hash" FROM audit_head WHERE "Id" = 1),
                "Seal" = (SELECT "Seal" FROM audit_head WHERE "Id" = 1) WHERE "Id" = 2
            """);
        var forged = await VerifyAsync();
        Assert.False(forged.Intact);
        Assert.Contains("start", forged.Problem, StringComparison.Ordinal);
    }

    private async Task<DateTimeOffset> RecordedAtAsync(long sequence)
    {
        await using var db = Open();
        return await db.Entries.AsNoTracking().Where(e => e.Sequence == sequence).Select(e => e.RecordedAt).SingleAsync();
    }

    private async Task<List<long>> RemainingAsync()
    {
        await using var db = Open();
        return await db.Entries.AsNoTracking().Select(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task Untouched_chain_verifies_intact()
    {
        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal(5, report.EntriesChecked);
        Assert.Null(report.FirstBrokenSequence);
    }

    [Fact]
    public async Task Edited_row_is_detected_at_that_row()
    {
        await ExecuteAsync("UPDATE audit_entries SET ActorUserId = 'someone-else' WHERE Sequence = 3");

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(3, report.FirstBrokenSequence);
        Assert.Equal(2, report.EntriesChecked);
    }

    [Fact]
    public async Task Edited_row_with_its_hash_recomputed_is_detected_at_its_sealed_checkpoint()
    {
        await using (var db = Open())
        {
            var entry = await db.Entries.SingleAsync(e => e.Sequence == 2);
            entry.Purpose = "nothing to see";
            entry.Hash = entry.ComputeHash();
            await db.SaveChangesAsync();
        }

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        // Entry 2 is a checkpoint (one every second entry): its sealed hash no longer matches.
        Assert.Equal(2, report.FirstBrokenSequence);
    }

    [Fact]
    public async Task Deleted_row_is_detected()
    {
        await ExecuteAsync("DELETE FROM audit_entries WHERE Sequence = 4");

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBrokenSequence);
    }

    [Fact]
    public async Task Appending_continues_the_chain()
    {
        await using (var db = Open())
        {
            await Chain(db).AppendAsync(Entry("persons/key #5"), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal(6, report.EntriesChecked);
    }

    /// <summary>An insider rewrites entry <paramref name="from"/> and re-hashes every entry after it, so each link holds again.</summary>
    private async Task RewriteAndRehashAsync(long from)
    {
        await using var db = Open();
        var entries = await db.Entries.OrderBy(e => e.Sequence).ToListAsync();
        var previous = entries.Single(e => e.Sequence == from - 1).Hash;
        foreach (var entry in entries.Where(e => e.Sequence >= from))
        {
            if (entry.Sequence == from)
            {
                entry.ActorUserId = "someone-else";
            }

            entry.PreviousHash = previous;
            entry.Hash = entry.ComputeHash();
            previous = entry.Hash;
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Removed_tail_is_detected_by_the_sealed_count()
    {
        await ExecuteAsync("DELETE FROM audit_entries WHERE Sequence = 5");

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(5, report.FirstBrokenSequence);
        Assert.Contains("removed", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removed_tail_past_a_checkpoint_is_detected()
    {
        await ExecuteAsync("DELETE FROM audit_entries WHERE Sequence = 5");
        await ExecuteAsync("DELETE FROM audit_entries WHERE Sequence = 4");
        await ExecuteAsync("DELETE FROM audit_head WHERE Id = 1");

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBrokenSequence);
    }

    [Fact]
    public async Task Rewritten_and_rehashed_entries_are_detected_at_the_first_sealed_checkpoint_after_them()
    {
        await RewriteAndRehashAsync(from: 3);

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBrokenSequence);
        Assert.Contains("rewritten", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewritten_and_rehashed_entries_after_the_last_checkpoint_are_detected_by_the_head_even_with_its_hash_moved()
    {
        await RewriteAndRehashAsync(from: 5);
        await using (var db = Open())
        {
            var head = await db.Head.SingleAsync();
            head.Hash = await db.Entries.Where(e => e.Sequence == 5).Select(e => e.Hash).SingleAsync();
            await db.SaveChangesAsync();
        }

        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains("seal", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_key_rotation_what_the_old_key_sealed_still_verifies_and_new_appends_use_the_new_key()
    {
        var rotated = new AuditSealKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), [KeyBytes]);
        await using (var db = Open())
        {
            await Chain(db, rotated).AppendAsync(Entry("persons/key #5"), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await using var verify = Open();
        var report = await Chain(verify, rotated).VerifyAsync(CancellationToken.None);

        Assert.True(report.Intact, report.Problem);
        Assert.Equal(6, report.EntriesChecked);
        Assert.False((await Chain(verify).VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Verifying_while_entries_are_appended_sees_one_consistent_state_each_time()
    {
        var appending = Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                await using var db = Open();
                await Chain(db).AppendAsync(Entry($"persons/key #{i + 5}"), CancellationToken.None);
                await db.SaveChangesAsync();
            }
        });
        var reports = new List<AuditChainReport>();
        while (!appending.IsCompleted)
        {
            reports.Add(await VerifyAsync());
        }

        await appending;
        reports.Add(await VerifyAsync());

        Assert.All(reports, r => Assert.True(r.Intact, r.Problem));
        Assert.True(reports.Count > 2, $"only {reports.Count} verifications ran beside the appends");
        Assert.Equal(155, reports[^1].EntriesChecked);
    }

    [Fact]
    public async Task A_log_sealed_with_another_key_does_not_verify()
    {
        await using var db = Open();

        var report = await Chain(db, new AuditSealKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))).VerifyAsync(CancellationToken.None);

        Assert.False(report.Intact);
    }
}

/// <summary>The same chain on PostgreSQL, which keeps microseconds where .NET keeps ticks.</summary>
public sealed class AuditChainOnPostgresTests
{
    [Fact]
    public async Task A_chain_written_with_sub_microsecond_times_verifies_after_the_round_trip()
    {
        var builder = new DbContextOptionsBuilder<AuditDbContext>();
        ModuleDatabase.UseProvider(builder, DatabaseProvider.Postgres, TestPostgres.ConnectionStringFor($"ihub_audit_{Guid.NewGuid():N}"));
        await using (var db = new AuditDbContext(builder.Options, TimeProvider.System))
        {
            await db.Database.MigrateAsync();
            for (var i = 0; i < 5; i++)
            {
                var entry = AuditChainTests.Entry($"persons/key #{i}");
                entry.OccurredAt = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567 + i);
                await AuditChainTests.Chain(db).AppendAsync(entry, CancellationToken.None);
                await db.SaveChangesAsync();
            }
        }

        await using var fresh = new AuditDbContext(builder.Options, TimeProvider.System);
        var report = await AuditChainTests.Chain(fresh).VerifyAsync(CancellationToken.None);
        await fresh.Database.EnsureDeletedAsync();

        Assert.True(report.Intact, report.Problem);
        Assert.Equal(5, report.EntriesChecked);
    }

    /// <summary>
    /// Two instances of the audit module append at once: the second waits until the first has
    /// committed, then chains after it, where it would otherwise have taken the same tail.
    /// </summary>
    [Fact]
    public async Task Two_instances_appending_at_once_take_turns_and_keep_one_chain()
    {
        var connectionString = TestPostgres.ConnectionStringFor($"ihub_audit_{Guid.NewGuid():N}");
        var builder = new DbContextOptionsBuilder<AuditDbContext>();
        ModuleDatabase.UseProvider(builder, DatabaseProvider.Postgres, connectionString);
        await using var first = new AuditDbContext(builder.Options, TimeProvider.System);
        await using var second = new AuditDbContext(builder.Options, TimeProvider.System);
        await first.Database.MigrateAsync();

        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await AuditChainTests.Chain(first).AppendAsync(AuditChainTests.Entry("persons/key #first"), CancellationToken.None);
        await first.SaveChangesAsync();

        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        var secondAppend = AuditChainTests.Chain(second).AppendAsync(AuditChainTests.Entry("persons/key #second"), CancellationToken.None);
        await Eventually.WaitForAsync(() => AppendsWaitingAsync(connectionString), n => n == 1, "the second append to wait for the first");
        await firstTransaction.CommitAsync();
        await secondAppend;
        await second.SaveChangesAsync();
        await secondTransaction.CommitAsync();

        await using var fresh = new AuditDbContext(builder.Options, TimeProvider.System);
        var report = await AuditChainTests.Chain(fresh).VerifyAsync(CancellationToken.None);
        var resources = await fresh.Entries.OrderBy(e => e.Sequence).Select(e => e.Resource).ToListAsync();
        await fresh.Database.EnsureDeletedAsync();

        Assert.True(report.Intact, report.Problem);
        Assert.Equal(["persons/key #first", "persons/key #second"], resources);
    }

    /// <summary>Asked on a connection of its own: inside a transaction, PostgreSQL answers pg_stat_activity from the snapshot of its first read.</summary>
    private static async Task<long> AppendsWaitingAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var waiting = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'",
            connection);
        return (long)(await waiting.ExecuteScalarAsync())!;
    }
}
