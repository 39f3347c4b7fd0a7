using IntegrationHub.Routing.Domain;
using IntegrationHub.Messaging.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Persistence;

/// <summary>
/// Puts withdrawals and routing decisions in one order, so no decision that saw a consent in force
/// commits after the withdrawal's answer, and the withdrawal sees every decision made before it
/// (to take them back). On SQLite the file's write turn does it; on PostgreSQL a decision
/// share-locks the person's consents and a withdrawal locks its consent for update, both before
/// the instant is read.
/// </summary>
internal static class ConsentLocks
{
    /// <summary>The consent, locked for its withdrawal until <paramref name="db"/>'s open transaction ends.</summary>
    public static Task<ConsentRecord?> ForWithdrawalAsync(RoutingDbContext db, Guid consentId, CancellationToken cancellationToken) =>
        db.Database.IsSqlite()
            ? db.Consents.SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken)
            : db.Consents.FromSql($"SELECT * FROM consent_registry WHERE \"Id\" = {consentId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>The person's consents, share-locked until <paramref name="db"/>'s open transaction ends.</summary>
    public static Task<List<ConsentRecord>> ForDecisionAsync(RoutingDbContext db, string personKey, CancellationToken cancellationToken) =>
        db.Database.IsSqlite()
            ? db.Consents.AsNoTracking().Where(c => c.PersonKey == personKey).ToListAsync(cancellationToken)
            : db.Consents.FromSql($"SELECT * FROM consent_registry WHERE \"PersonKey\" = {personKey} FOR SHARE").AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction that holds the locks above until it commits.</summary>
    public static async Task<T> InTurnAsync<T>(RoutingDbContext db, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        using var turn = await SqliteWriteGate.EnterAsync(db.Database, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
