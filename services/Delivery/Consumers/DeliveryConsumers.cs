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

/// <summary>
/// Base of an adapter's consumer of retractions. An adapter derives one on its delivery queue, so
/// retractions travel the path its updates take.
/// </summary>
public abstract class RetractUpdatesConsumer<TContext>(TContext db, TimeProvider time, UpdateInbox<TContext> inbox)
    : IdempotentConsumer<RetractUpdates, TContext>(db, time)
    where TContext : DeliveryDbContext
{
    protected override Task HandleAsync(ConsumeContext<RetractUpdates> context) => inbox.RetractAsync(context.Message, context.CancellationToken);
}

/// <summary>Base of an adapter's consumer of corrections, on its delivery queue like the updates they correct.</summary>
public abstract class CorrectUpdatesConsumer<TContext>(TContext db, TimeProvider time, UpdateInbox<TContext> inbox)
    : IdempotentConsumer<CorrectUpdates, TContext>(db, time)
    where TContext : DeliveryDbContext
{
    protected override Task HandleAsync(ConsumeContext<CorrectUpdates> context) => inbox.CorrectAsync(context.Message, context.CancellationToken);
}
