using IntegrationHub.Consent.Domain;
using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Consent.Persistence;

/// <summary>
/// Puts withdrawals and confirmations in one order, so an answer "in force as of T" is never given
/// while a withdrawal with an instant before T is still uncommitted. On SQLite the file's write
/// turn does it; on PostgreSQL a row lock taken before the withdrawal instant is read.
/// </summary>
internal static class ConsentLocks
{
    /// <summary>The consent, locked for its withdrawal until <paramref name="db"/>'s open transaction ends.</summary>
    public static Task<ConsentRecord?> ForWithdrawalAsync(ConsentDbContext db, Guid consentId, CancellationToken cancellationToken) =>
        db.Database.IsSqlite()
            ? db.Consents.SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken)
            : db.Consents.FromSql($"SELECT * FROM consents WHERE \"Id\" = {consentId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>The consents, share-locked until <paramref name="db"/>'s open transaction ends.</summary>
    public static Task<List<ConsentRecord>> ForConfirmationAsync(ConsentDbContext db, Guid[] consentIds, CancellationToken cancellationToken) =>
        db.Database.IsSqlite()
            ? db.Consents.AsNoTracking().Where(c => consentIds.Contains(c.Id)).ToListAsync(cancellationToken)
            : db.Consents.FromSql($"SELECT * FROM consents WHERE \"Id\" = ANY({consentIds}) FOR SHARE").AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction that holds the locks above until it commits.</summary>
    public static async Task<T> InTurnAsync<T>(ConsentDbContext db, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        using var turn = await SqliteWriteGate.EnterAsync(db.Database, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
