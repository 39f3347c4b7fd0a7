using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Delivery.Domain;

/// <summary>
/// Asks the consent registry, just before an update is stored, whether the consents it is shared
/// under still hold. Routing decided on its own copy of the consents, and the ConsentWithdrawn
/// event travels on a queue of its own, so without this an update routed just before routing
/// heard of a withdrawal could be stored after the withdrawal instant (seen under load: 82 ms).
/// No answer is an exception, so the message is retried: it is never stored unconfirmed.
/// </summary>
public sealed class ConsentConfirmation(IScopedClientFactory clients, ConsentConfirmationOptions options)
{
    public async Task<ConsentsConfirmed> ConfirmAsync(IReadOnlyList<Guid> consentIds, CancellationToken cancellationToken)
    {
        var client = clients.CreateRequestClient<ConfirmConsents>(RequestTimeout.After(ms: (int)options.Timeout.TotalMilliseconds));
        var response = await client.GetResponse<ConsentsConfirmed>(new ConfirmConsents(consentIds), cancellationToken);
        return response.Message;
    }
}

public sealed class ConsentConfirmationOptions
{
    public const string Section = "Delivery:ConsentConfirmation";

    /// <summary>
    /// How long an adapter waits for the registry before the delivery is retried. The adapter's
    /// database writes wait meanwhile, so keep it short.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
