using IntegrationHub.Messaging.Outbox;
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

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken))
            {
                return;
            }

            await HandleAsync(context);
            db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // The tracked changes must not survive into a retry that reuses this context.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);
}
