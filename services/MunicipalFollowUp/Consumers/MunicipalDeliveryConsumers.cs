using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Consumers;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.MunicipalFollowUp.Persistence;
using MassTransit;

namespace IntegrationHub.MunicipalFollowUp.Consumers;

/// <summary>Updates routed to a municipality: into its inbox, and on to its webhook.</summary>
public sealed class MunicipalDeliverUpdateConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : DeliverUpdateConsumer<MunicipalDbContext>(db, time, inbox);

public sealed class MunicipalDeliverUpdateConsumerDefinition : ConsumerDefinition<MunicipalDeliverUpdateConsumer>
{
    public MunicipalDeliverUpdateConsumerDefinition() => EndpointName = DeliveryQueues.Municipality;
}

public sealed class MunicipalRetractUpdatesConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : RetractUpdatesConsumer<MunicipalDbContext>(db, time, inbox);

/// <summary>On the delivery queue: a retraction takes the path of the updates it takes back.</summary>
public sealed class MunicipalRetractUpdatesConsumerDefinition : ConsumerDefinition<MunicipalRetractUpdatesConsumer>
{
    public MunicipalRetractUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Municipality;
}

public sealed class MunicipalCorrectUpdatesConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : CorrectUpdatesConsumer<MunicipalDbContext>(db, time, inbox);

public sealed class MunicipalCorrectUpdatesConsumerDefinition : ConsumerDefinition<MunicipalCorrectUpdatesConsumer>
{
    public MunicipalCorrectUpdatesConsumerDefinition() => EndpointName = DeliveryQueues.Municipality;
}
