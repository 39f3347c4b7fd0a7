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
    private readonly TemporaryDirectory _dataDirectory = new("audit-tests");
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory.Path);
        _connectionString = ModuleDatabase.ConnectionStringFor(AuditDbContext.DatabaseName, new DatabaseOptions(), new HubPaths(_dataDirectory.Path));
        await using var db = Open();
        await db.Database.MigrateAsync();
        var chain = new AuditChain(db, TimeProvider.System);
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

    private static AuditEntry Entry(string resource) => new()
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
        return await new AuditChain(db, TimeProvider.System).VerifyAsync(CancellationToken.None);
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
    public async Task Edited_row_with_its_hash_recomputed_is_detected_at_the_next_row()
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
        Assert.Equal(3, report.FirstBrokenSequence);
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
            await new AuditChain(db, TimeProvider.System).AppendAsync(Entry("persons/key #5"), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal(6, report.EntriesChecked);
    }
}
