using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Messaging.Inbox;

/// <summary>
/// Base for every consumer: the handler's state changes, the messages it publishes through the
/// context's outbox and the inbox row that marks the message done commit in one transaction.
/// A redelivered message id is skipped; a failure rolls everything back for the retry.
/// </summary>
/// <remarks>Handlers publish through <see cref="MessagingDbContext.Publish{T}"/>, never through
/// <c>ConsumeContext.Publish</c>, or a rolled-back handler would still have published.</remarks>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider time) : IConsumer<TMessage>
    where TMessage : class
    where TContext : MessagingDbContext
{
    protected TContext Db => db;

    protected TimeProvider Time => time;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id; it cannot be deduplicated.");
        var consumer = GetType().FullName!;
        var cancellationToken = context.CancellationToken;

        if (db.Database.IsSqlite())
        {
            // SQLite has one writer per file anyway: consumers waiting for it share a commit.
            await SqliteGroupCommit.RunAsync(db, token => ProcessAsync(context, messageId, consumer, token), cancellationToken);
            return;
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ProcessAsync(context, messageId, consumer, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Where transactions do not serialise writers (PostgreSQL), two deliveries of one message
            // can both pass the inbox check; the loser's commit fails on a key. If the winner's inbox
            // row is there, its effects are committed and this delivery has nothing left to do.
            db.ChangeTracker.Clear();
            if (await AlreadyProcessedAsync(messageId, consumer, cancellationToken))
            {
                return;
            }

            throw;
        }
        catch
        {
            // The tracked changes must not survive into a retry that reuses this context.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>The handler's effects and the inbox row, in the caller's transaction; nothing when the message was processed before.</summary>
    private async Task ProcessAsync(ConsumeContext<TMessage> context, Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        if (await AlreadyProcessedAsync(messageId, consumer, cancellationToken))
        {
            return;
        }

        await HandleAsync(context);
        db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
    }

    private Task<bool> AlreadyProcessedAsync(Guid messageId, string consumer, CancellationToken cancellationToken) =>
        InboxQueries<TContext>.IsProcessed(db, messageId, consumer, cancellationToken);

    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);
}

/// <summary>
/// The inbox check every consumed message makes, compiled once per context type and model: EF would
/// otherwise rebuild the expression tree and look it up in its query cache for every message.
/// </summary>
internal static class InboxQueries<TContext>
    where TContext : MessagingDbContext
{
    private static readonly PerModelQuery<Func<TContext, Guid, string, CancellationToken, Task<bool>>> Processed = new(() =>
        EF.CompileAsyncQuery((TContext db, Guid messageId, string consumer, CancellationToken cancellationToken) =>
            db.InboxMessages.Any(m => m.MessageId == messageId && m.Consumer == consumer)));

    public static Task<bool> IsProcessed(TContext db, Guid messageId, string consumer, CancellationToken cancellationToken) =>
        Processed.For(db.Model)(db, messageId, consumer, cancellationToken);
}
