using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IntegrationHub.Messaging.Outbox;

/// <summary>Signals the dispatcher only after the outbox rows are committed, never before.</summary>
internal sealed class OutboxCommitInterceptor<TContext>(OutboxSignal<TContext> signal)
    : ISaveChangesInterceptor, IDbTransactionInterceptor
    where TContext : MessagingDbContext
{
    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MessagingDbContext context
            && context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            context.HasUncommittedOutboxRows = true;
            // For a transaction committed outside EF (the SQLite group commit), which tells no interceptor.
            context.NotifyOutbox ??= signal.Notify;
        }

        return ValueTask.FromResult(result);
    }

    public ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MessagingDbContext { HasUncommittedOutboxRows: true } context
            && context.Database.CurrentTransaction is null)
        {
            context.HasUncommittedOutboxRows = false;
            signal.Notify();
        }

        return ValueTask.FromResult(result);
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        // Pooled contexts outlive their scope: without a transaction nothing of the failed save is left to commit.
        if (eventData.Context is MessagingDbContext context && context.Database.CurrentTransaction is null)
        {
            context.HasUncommittedOutboxRows = false;
        }

        return Task.CompletedTask;
    }

    public Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MessagingDbContext { HasUncommittedOutboxRows: true } context)
        {
            context.HasUncommittedOutboxRows = false;
            signal.Notify();
        }

        return Task.CompletedTask;
    }

    public Task TransactionRolledBackAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MessagingDbContext context)
        {
            context.HasUncommittedOutboxRows = false;
        }

        return Task.CompletedTask;
    }
}
