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
    public async Task Consume(ConsumeContext<ConfirmConsents> context)
    {
        // Every consent asked is answered: one left out would read as still in force.
        var asked = context.Message.ConsentIds.Distinct().ToArray();
        var answer = await ConsentLocks.InTurnAsync(db, async () =>
        {
            var consents = await ConsentLocks.ForConfirmationAsync(db, asked, context.CancellationToken);
            // Read after the lock: a withdrawal still to come takes an instant at or after this one,
            // and an adapter that stored at that same instant takes the update back when it hears of it.
            var asOf = ConsentInstant.Now(time);
            var known = consents.ToDictionary(c => c.Id, c => c.WithdrawnAt);
            var ended = new Dictionary<Guid, DateTimeOffset>();
            foreach (var id in asked)
            {
                if (!known.TryGetValue(id, out var withdrawnAt))
                {
                    ended[id] = DateTimeOffset.MinValue;
                }
                else if (withdrawnAt is { } at)
                {
                    ended[id] = at;
                }
            }

            return new ConsentsConfirmed(context.Message.RequestId, asOf, ended);
        }, context.CancellationToken);
        // Straight to the bus, not the outbox: an answer nobody waits for any more is worth nothing.
        await context.Publish(answer, context.CancellationToken);
    }
}
