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

public sealed class MunicipalConsentWithdrawnConsumer(MunicipalDbContext db, TimeProvider time, UpdateInbox<MunicipalDbContext> inbox)
    : ConsentWithdrawnAtDeliveryConsumer<MunicipalDbContext>(db, time, inbox);

public sealed class MunicipalConsentsConfirmedConsumer(PendingConsentConfirmations pending) : ConsentsConfirmedAtDeliveryConsumer(pending);
