using System.Collections.Concurrent;
using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Delivery.Domain;

/// <summary>
/// Asks the consent registry, just before an update is stored, whether the consents it is shared
/// under still hold. Routing decided on its own copy of the consents, and the ConsentWithdrawn
/// event travels on a queue of its own, so without this an update routed just before routing
/// heard of a withdrawal could be stored after the withdrawal instant (seen under load: 82 ms).
/// No answer in time is an exception, so the message is retried: nothing is stored unconfirmed.
/// </summary>
public sealed class ConsentConfirmation(IPublishEndpoint publisher, PendingConsentConfirmations pending, ConsentConfirmationOptions options)
{
    public async Task<ConsentsConfirmed> ConfirmAsync(IReadOnlyList<Guid> consentIds, CancellationToken cancellationToken)
    {
        var requestId = NewId.NextGuid();
        var answer = pending.Expect(requestId);
        try
        {
            await publisher.Publish(new ConfirmConsents(requestId, consentIds), cancellationToken);
            return await answer.WaitAsync(options.Timeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The consent registry did not answer within {options.Timeout}; the delivery is retried.", ex);
        }
        finally
        {
            pending.Forget(requestId);
        }
    }
}

/// <summary>The questions this process has asked the registry and waits for; answers to others' questions are let go.</summary>
public sealed class PendingConsentConfirmations
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ConsentsConfirmed>> _waiting = new();

    public Task<ConsentsConfirmed> Expect(Guid requestId) =>
        _waiting.GetOrAdd(requestId, _ => new TaskCompletionSource<ConsentsConfirmed>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Answer(ConsentsConfirmed answer)
    {
        if (_waiting.TryGetValue(answer.RequestId, out var waiting))
        {
            waiting.TrySetResult(answer);
        }
    }

    public void Forget(Guid requestId) => _waiting.TryRemove(requestId, out _);
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
