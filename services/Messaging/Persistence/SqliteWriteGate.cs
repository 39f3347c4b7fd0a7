using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace IntegrationHub.Messaging.Persistence;

/// <summary>
/// One writer at a time per SQLite file in this process, the others waiting asynchronously in turn.
/// SQLite serialises writers anyway; without the gate, concurrent consumers collide on
/// <c>BEGIN IMMEDIATE</c>, and Microsoft.Data.Sqlite retries a busy database by blocking its thread
/// in 150 ms sleeps. Measured 2026-11-22 (pipeline benchmark, split over two processes): those sleeps
/// were 22 % of all thread time in the routing process, which then routed 36 certificates/s.
/// PostgreSQL has row locks and real concurrency, so it gets no gate.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>Waits for the database's write turn; dispose the answer to give it up. Null (nothing to wait for) on PostgreSQL.</summary>
    public static async Task<IDisposable?> EnterAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (!database.IsSqlite())
        {
            return null;
        }

        var gate = Gates.GetOrAdd(FileOf(database), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    /// <summary>The database file, as the gate and the group commit name it.</summary>
    public static string FileOf(DatabaseFacade database) => Path.GetFullPath(database.GetDbConnection().DataSource);

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
