using IntegrationHub.Consent.Domain;
using IntegrationHub.Consent.Persistence;
using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Consent.Consumers;

/// <summary>
/// Answers an adapter about to store an update: which of its consents were withdrawn, as of now.
/// Read-only, so it needs no inbox row; a repeated request gets a fresh answer.
/// </summary>
public sealed class ConfirmConsentsConsumer(ConsentDbContext db, TimeProvider time) : IConsumer<ConfirmConsents>
{
    /// <summary>An update names a handful of consents; more is not a real request.</summary>
    public const int MaxConsents = 64;

    public async Task Consume(ConsumeContext<ConfirmConsents> context)
    {
        var asked = context.Message.ConsentIds.Distinct().Take(MaxConsents).ToArray();
        var answer = await ConsentLocks.InTurnAsync(db, async () =>
        {
            var consents = await ConsentLocks.ForConfirmationAsync(db, asked, context.CancellationToken);
            // Read after the lock: a withdrawal still to come takes an instant at or after this one,
            // and an adapter that stored at that same instant takes the update back when it hears of it.
            var asOf = ConsentInstant.Now(time);
            var ended = asked.ToDictionary(id => id, id => consents.FirstOrDefault(c => c.Id == id) is { } c ? c.WithdrawnAt : DateTimeOffset.MinValue)
                .Where(e => e.Value is not null)
                .ToDictionary(e => e.Key, e => e.Value!.Value);
            return new ConsentsConfirmed(context.Message.RequestId, asOf, ended);
        }, context.CancellationToken);
        // Straight to the bus, not the outbox: an answer nobody waits for any more is worth nothing.
        await context.Publish(answer, context.CancellationToken);
    }
}
