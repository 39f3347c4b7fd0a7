using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Messaging.Inbox;
using MassTransit;

namespace IntegrationHub.Delivery.Consumers;

/// <summary>
/// Base of an adapter's consumer of its delivery queue. An adapter derives one with its own name
/// and endpoint (<see cref="DeliveryQueues"/>).
/// </summary>
public abstract class DeliverUpdateConsumer<TContext>(TContext db, TimeProvider time, UpdateInbox<TContext> inbox)
    : IdempotentConsumer<DeliverUpdate, TContext>(db, time)
    where TContext : DeliveryDbContext
{
    protected override Task HandleAsync(ConsumeContext<DeliverUpdate> context) => inbox.StoreAsync(context.Message, context.CancellationToken);
}

/// <summary>Base of an adapter's consumer of withdrawals; derive one per adapter so each gets its own queue.</summary>
public abstract class ConsentWithdrawnAtDeliveryConsumer<TContext>(TContext db, TimeProvider time, UpdateInbox<TContext> inbox)
    : IdempotentConsumer<ConsentWithdrawn, TContext>(db, time)
    where TContext : DeliveryDbContext
{
    protected override Task HandleAsync(ConsumeContext<ConsentWithdrawn> context) => inbox.WithdrawAsync(context.Message, context.CancellationToken);
}

/// <summary>
/// Base of an adapter's consumer of the registry's answers; derive one per adapter so each gets a
/// durable queue of its own. Every answer reaches every adapter; the one that asked takes it.
/// </summary>
public abstract class ConsentsConfirmedAtDeliveryConsumer(PendingConsentConfirmations pending) : IConsumer<ConsentsConfirmed>
{
    public Task Consume(ConsumeContext<ConsentsConfirmed> context)
    {
        pending.Answer(context.Message);
        return Task.CompletedTask;
    }
}
