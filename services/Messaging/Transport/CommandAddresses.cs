namespace IntegrationHub.Messaging.Transport;

/// <summary>
/// Where to send a command for a receive endpoint. On RabbitMQ that is the endpoint's exchange:
/// sending to <c>queue:name</c> makes the sender declare the queue as a classic queue, which the
/// broker refuses for our quorum queues (PRECONDITION_FAILED on x-queue-type).
/// </summary>
public sealed class CommandAddresses(TransportKind transport)
{
    public Uri For(string endpointName) =>
        new(transport == TransportKind.RabbitMq ? $"exchange:{endpointName}" : $"queue:{endpointName}");
}
