using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Consumers;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.NavCases.Persistence;
using MassTransit;

namespace IntegrationHub.NavCases.Consumers;

/// <summary>Updates routed to NAV: into the office's inbox, and on to NAV's webhook.</summary>
public sealed class NavDeliverUpdateConsumer(NavCasesDbContext db, TimeProvider time, UpdateInbox<NavCasesDbContext> inbox)
    : DeliverUpdateConsumer<NavCasesDbContext>(db, time, inbox);

public sealed class NavDeliverUpdateConsumerDefinition : ConsumerDefinition<NavDeliverUpdateConsumer>
{
    public NavDeliverUpdateConsumerDefinition() => EndpointName = DeliveryQueues.Nav;
}

public sealed class NavRetractUpdatesConsumer(NavCasesDbContext db, TimeProvider time, UpdateInbox<NavCasesDbContext> inbox)
    : RetractUpdatesConsumer<NavCasesDbContext>(db, time, inbox);

/// <summary>On the delivery queue: a retraction takes the path of the updates it takes back.</summary>
public sealed class NavRetractUpdatesConsumerDefinition : ConsumerDefinition<NavRetractUpdatesConsumer>
{
    public NavRetractUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Nav;
}

public sealed class NavCorrectUpdatesConsumer(NavCasesDbContext db, TimeProvider time, UpdateInbox<NavCasesDbContext> inbox)
    : CorrectUpdatesConsumer<NavCasesDbContext>(db, time, inbox);

public sealed class NavCorrectUpdatesConsumerDefinition : ConsumerDefinition<NavCorrectUpdatesConsumer>
{
    public NavCorrectUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Nav;
}
